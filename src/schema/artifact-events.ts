import { z } from 'zod';
import { type ArtifactMetadata, artifactMetadataSchema } from './artifact-metadata.js';
import { labelSchema, nameSchema } from './names.js';

export const ARTIFACT_CREATED = 'artifact.created';
export const ARTIFACT_LINKED = 'artifact.linked';
export const ARTIFACT_UNLINKED = 'artifact.unlinked';
export const ALIAS_ADDED = 'artifact.alias.added';
export const ALIAS_REMOVED = 'artifact.alias.removed';
export const TAG_ADDED = 'artifact.tag.added';
export const TAG_REMOVED = 'artifact.tag.removed';
export const COLLECTION_TAG_ADDED = 'collection.tag.added';
export const COLLECTION_TAG_REMOVED = 'collection.tag.removed';

/** Where an artifact event happened: an entity and either a project or a registry, and the collection. */
export type CollectionPlace =
  | { readonly entity: string; readonly project: string; readonly collection: string }
  | { readonly entity: string; readonly registry: string; readonly collection: string };

export type ArtifactCreatedData = CollectionPlace & {
  readonly version: number;
  readonly artifactType?: string;
  readonly aliases?: readonly string[];
  readonly tags?: readonly string[];
  readonly metadata?: ArtifactMetadata;
};
export type ArtifactSource = {
  readonly entity: string;
  readonly project: string;
  readonly collection: string;
  readonly version: number;
};
export type ArtifactLinkData = CollectionPlace & {
  readonly version: number;
  readonly aliases?: readonly string[];
  readonly source?: ArtifactSource;
};
export type AliasData = CollectionPlace & { readonly version: number; readonly alias: string };
export type TagData = CollectionPlace & { readonly version: number; readonly tag: string };
export type CollectionTagData = CollectionPlace & { readonly tag: string };

/** Aliases and tags: names, at most 255 characters; at most 256 of them on one event. */
const labels = z.array(labelSchema).max(256);
const version = z.number().int().min(0);

const place = {
  entity: nameSchema,
  project: nameSchema.optional(),
  registry: nameSchema.optional(),
  collection: nameSchema,
};

function placeOf(d: {
  entity: string;
  project?: string | undefined;
  registry?: string | undefined;
  collection: string;
}): CollectionPlace {
  return d.registry !== undefined
    ? { entity: d.entity, registry: d.registry, collection: d.collection }
    : { entity: d.entity, project: d.project ?? '', collection: d.collection };
}

/** Exactly one of project and registry. */
function onePlace(
  d: { project?: string | undefined; registry?: string | undefined },
  ctx: z.core.$RefinementCtx,
): void {
  if ((d.project === undefined) === (d.registry === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [d.project === undefined ? 'project' : 'registry'],
      message: 'an artifact event names either a project or a registry',
      input: d.project ?? d.registry,
      params: { code: 'invalid_value' },
    });
  }
}

const unique = (xs: readonly string[] | undefined): readonly string[] | undefined =>
  xs === undefined ? undefined : [...new Set(xs)];

export const artifactCreatedDataSchema = z
  .object({
    ...place,
    version,
    artifactType: labelSchema.optional(),
    aliases: labels.optional(),
    tags: labels.optional(),
    metadata: artifactMetadataSchema.optional(),
  })
  .superRefine(onePlace)
  .transform((d): ArtifactCreatedData => {
    const aliases = unique(d.aliases);
    const tags = unique(d.tags);
    return {
      ...placeOf(d),
      version: d.version,
      ...(d.artifactType !== undefined && { artifactType: d.artifactType }),
      ...(aliases !== undefined && { aliases }),
      ...(tags !== undefined && { tags }),
      ...(d.metadata !== undefined && { metadata: d.metadata }),
    };
  });

const sourceSchema = z.object({ entity: nameSchema, project: nameSchema, collection: nameSchema, version });

export const artifactLinkDataSchema = z
  .object({ ...place, version, aliases: labels.optional(), source: sourceSchema.optional() })
  .superRefine(onePlace)
  .transform((d): ArtifactLinkData => {
    const aliases = unique(d.aliases);
    return {
      ...placeOf(d),
      version: d.version,
      ...(aliases !== undefined && { aliases }),
      ...(d.source !== undefined && { source: d.source }),
    };
  });

export const aliasDataSchema = z
  .object({ ...place, version, alias: labelSchema })
  .superRefine(onePlace)
  .transform((d): AliasData => ({ ...placeOf(d), version: d.version, alias: d.alias }));

export const tagDataSchema = z
  .object({ ...place, version, tag: labelSchema })
  .superRefine(onePlace)
  .transform((d): TagData => ({ ...placeOf(d), version: d.version, tag: d.tag }));

export const collectionTagDataSchema = z
  .object({ ...place, tag: labelSchema })
  .superRefine(onePlace)
  .transform((d): CollectionTagData => ({ ...placeOf(d), tag: d.tag }));

/** Every canonical artifact and collection event type, with its data schema. */
export const ARTIFACT_EVENT_SCHEMAS = {
  [ARTIFACT_CREATED]: artifactCreatedDataSchema,
  [ARTIFACT_LINKED]: artifactLinkDataSchema,
  [ARTIFACT_UNLINKED]: artifactLinkDataSchema,
  [ALIAS_ADDED]: aliasDataSchema,
  [ALIAS_REMOVED]: aliasDataSchema,
  [TAG_ADDED]: tagDataSchema,
  [TAG_REMOVED]: tagDataSchema,
  [COLLECTION_TAG_ADDED]: collectionTagDataSchema,
  [COLLECTION_TAG_REMOVED]: collectionTagDataSchema,
} as const;

export type ArtifactEventType = keyof typeof ARTIFACT_EVENT_SCHEMAS;
export type ArtifactEventData = {
  [ARTIFACT_CREATED]: ArtifactCreatedData;
  [ARTIFACT_LINKED]: ArtifactLinkData;
  [ARTIFACT_UNLINKED]: ArtifactLinkData;
  [ALIAS_ADDED]: AliasData;
  [ALIAS_REMOVED]: AliasData;
  [TAG_ADDED]: TagData;
  [TAG_REMOVED]: TagData;
  [COLLECTION_TAG_ADDED]: CollectionTagData;
  [COLLECTION_TAG_REMOVED]: CollectionTagData;
};

export function isArtifactEventType(type: string): type is ArtifactEventType {
  return Object.hasOwn(ARTIFACT_EVENT_SCHEMAS, type);
}
