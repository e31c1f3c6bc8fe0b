import { z } from 'zod';
import { nameSchema } from './names.js';
import { optional, strictObject } from './strict.js';
import { forwardIssues } from './tagged.js';

export type EntityScope = { readonly type: 'entity'; readonly entity: string };
export type ProjectScope = { readonly type: 'project'; readonly entity: string; readonly project: string };
export type RegistryScope = { readonly type: 'registry'; readonly entity: string; readonly registry: string };
export type CollectionScope =
  | {
      readonly type: 'collection';
      readonly entity: string;
      readonly project: string;
      readonly collection: string;
    }
  | {
      readonly type: 'collection';
      readonly entity: string;
      readonly registry: string;
      readonly collection: string;
    };
export type Scope = EntityScope | ProjectScope | RegistryScope | CollectionScope;

/** `'acme'`, `'acme/vision'`, `'acme/vision/resnet'`, or an object naming entity plus project, registry and/or collection. */
export type ScopeInput =
  | string
  | {
      readonly type?: Scope['type'];
      readonly entity: string;
      readonly project?: string;
      readonly registry?: string;
      readonly collection?: string;
    };

const objectScope = strictObject('a scope', {
  type: optional(z.enum(['entity', 'project', 'registry', 'collection'])),
  entity: nameSchema,
  project: optional(nameSchema),
  registry: optional(nameSchema),
  collection: optional(nameSchema),
})
  .superRefine((s, ctx) => {
    if (s.project !== undefined && s.registry !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['registry'],
        message: 'a scope has a project or a registry, not both',
        input: s.registry,
        params: { code: 'invalid_value' },
      });
    }
    if (s.collection !== undefined && s.project === undefined && s.registry === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['collection'],
        message: 'a collection scope needs its project or registry',
        input: s.collection,
        params: { code: 'invalid_value' },
      });
    }
    if (s.type !== undefined && s.type !== kindOf(s)) {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `the fields given make a ${kindOf(s)} scope`,
        input: s.type,
        params: { code: 'invalid_value' },
      });
    }
  })
  .transform(toScope);

const stringScope = z.string().transform((text, ctx): Scope => {
  const parts = text.split('/');
  const bad = parts.length > 3 || parts.some((p) => p.length === 0 || p.length > 255);
  if (bad) {
    ctx.addIssue({
      code: 'custom',
      message: "expected 'entity', 'entity/project' or 'entity/project/collection'",
      input: text,
      params: { code: 'invalid_format' },
    });
    return z.NEVER;
  }
  const [entity = '', project, collection] = parts;
  return toScope({ entity, project, collection });
});

/** Chosen by the input's kind, so a bad scope reports its own issue, not a union's "invalid input". */
export const scopeSchema = z.unknown().transform((input, ctx): Scope => {
  const result = (typeof input === 'string' ? stringScope : objectScope).safeParse(input, {
    reportInput: true,
  });
  if (result.success) return result.data;
  forwardIssues(result.error.issues, ctx);
  return z.NEVER;
});

function kindOf(s: {
  project?: string | undefined;
  registry?: string | undefined;
  collection?: string | undefined;
}): Scope['type'] {
  if (s.collection !== undefined) return 'collection';
  if (s.registry !== undefined) return 'registry';
  return s.project !== undefined ? 'project' : 'entity';
}

function toScope(s: {
  entity: string;
  project?: string | undefined;
  registry?: string | undefined;
  collection?: string | undefined;
}): Scope {
  const { entity, project, registry, collection } = s;
  if (collection !== undefined) {
    if (registry !== undefined) return { type: 'collection', entity, registry, collection };
    return { type: 'collection', entity, project: project ?? '', collection };
  }
  if (registry !== undefined) return { type: 'registry', entity, registry };
  if (project !== undefined) return { type: 'project', entity, project };
  return { type: 'entity', entity };
}

/** Where an event happened, as far as its data says. */
export type Place = {
  readonly entity: string;
  readonly project?: string | undefined;
  readonly registry?: string | undefined;
  readonly collection?: string | undefined;
};

/** Scopes nest entity ⊃ project/registry ⊃ collection: a scope covers every place inside it, present or future. */
export function scopeCovers(scope: Scope, place: Place): boolean {
  if (scope.entity !== place.entity) return false;
  switch (scope.type) {
    case 'entity':
      return true;
    case 'project':
      return place.project === scope.project;
    case 'registry':
      return place.registry === scope.registry;
    case 'collection':
      return (
        place.collection === scope.collection &&
        ('registry' in scope ? place.registry === scope.registry : place.project === scope.project)
      );
  }
}
