import type { CollectionPlace } from '../schema/artifact-events.js';
import type { Scope } from '../schema/scope.js';

// The one key format of every trigger index: a scope files its watchers under `scopeKey`, and a place is looked up
// under the keys of the scopes that can cover it. NUL separates the parts: no name holds one.

/** The key of a scope: its kind, then its names. */
export function scopeKey(scope: Scope): string {
  switch (scope.type) {
    case 'entity':
      return `e\u0000${scope.entity}`;
    case 'project':
      return `p\u0000${scope.entity}\u0000${scope.project}`;
    case 'registry':
      return `r\u0000${scope.entity}\u0000${scope.registry}`;
    case 'collection':
      return 'registry' in scope
        ? `cr\u0000${scope.entity}\u0000${scope.registry}\u0000${scope.collection}`
        : `cp\u0000${scope.entity}\u0000${scope.project}\u0000${scope.collection}`;
  }
}

/** The keys of the scopes that can cover a run in (entity, project), widest first: its entity's, its project's. */
export function runPlaceKeys(entity: string, project: string): readonly [string, string] {
  return [`e\u0000${entity}`, `p\u0000${entity}\u0000${project}`];
}

/** The keys of the scopes that can cover a collection, widest first: entity, project or registry, collection. */
export function collectionPlaceKeys(place: CollectionPlace): readonly [string, string, string] {
  const entity = `e\u0000${place.entity}`;
  return 'registry' in place
    ? [
        entity,
        `r\u0000${place.entity}\u0000${place.registry}`,
        `cr\u0000${place.entity}\u0000${place.registry}\u0000${place.collection}`,
      ]
    : [
        entity,
        `p\u0000${place.entity}\u0000${place.project}`,
        `cp\u0000${place.entity}\u0000${place.project}\u0000${place.collection}`,
      ];
}
