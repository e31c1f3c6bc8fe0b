import type { PatternCache } from '../match/pattern-cache.js';
import type { Pattern } from '../match/pattern-engine.js';
import type { CollectionPlace } from '../schema/artifact-events.js';
import { scopeCovers } from '../schema/scope.js';
import type { ArtifactTrigger, ArtifactTriggerType } from '../schema/triggers.js';
import type { ArtifactChange, ArtifactFacts } from '../state/artifact-change.js';

export const CHANGE_OF: Readonly<Record<ArtifactTriggerType, ArtifactChange['kind']>> = {
  OnCreateArtifact: 'created',
  OnLinkArtifact: 'linked',
  OnUnlinkArtifact: 'unlinked',
  OnAddArtifactAlias: 'alias-added',
  OnAddArtifactTag: 'tag-added',
  OnRemoveArtifactTag: 'tag-removed',
  OnAddCollectionTag: 'collection-tag-added',
  OnRemoveCollectionTag: 'collection-tag-removed',
};

export type ArtifactMatcher = (
  place: CollectionPlace,
  changes: readonly ArtifactChange[],
) => ArtifactFacts | undefined;

/**
 * An artifact trigger as a predicate over one event's changes: in scope, the collection if named, a change of
 * the trigger's kind, and the pattern (unanchored RE2) on one of the version's aliases, the alias, or the tag.
 */
export function compileArtifactTrigger(trigger: ArtifactTrigger, patterns: PatternCache): ArtifactMatcher {
  const kind = CHANGE_OF[trigger.type];
  const alias: Pattern | undefined =
    trigger.alias === undefined ? undefined : patterns.compile(trigger.alias);
  const tag: Pattern | undefined = trigger.tag === undefined ? undefined : patterns.compile(trigger.tag);
  return (place, changes) => {
    if (trigger.collection !== undefined && place.collection !== trigger.collection) return undefined;
    if (!scopeCovers(trigger.scope, place)) return undefined;
    for (const change of changes) {
      if (change.kind !== kind) continue;
      switch (change.kind) {
        case 'created':
        case 'linked':
        case 'unlinked': {
          const hit = alias === undefined ? undefined : change.aliases.find((a) => alias.test(a));
          if (alias !== undefined && hit === undefined) continue;
          return {
            ...place,
            version: change.version,
            aliases: change.aliases,
            ...(hit !== undefined && { alias: hit }),
            ...(change.metadata !== undefined && { metadata: change.metadata }),
          };
        }
        case 'alias-added':
        case 'alias-removed':
          if (alias !== undefined && !alias.test(change.alias)) continue;
          return {
            ...place,
            version: change.version,
            alias: change.alias,
            ...(change.metadata !== undefined && { metadata: change.metadata }),
          };
        case 'tag-added':
        case 'tag-removed':
          if (tag !== undefined && !tag.test(change.tag)) continue;
          return {
            ...place,
            version: change.version,
            tag: change.tag,
            ...(change.metadata !== undefined && { metadata: change.metadata }),
          };
        case 'collection-tag-added':
        case 'collection-tag-removed':
          if (tag !== undefined && !tag.test(change.tag)) continue;
          return { ...place, tag: change.tag };
      }
    }
    return undefined;
  };
}
