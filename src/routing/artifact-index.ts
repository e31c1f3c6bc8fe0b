import type { ArtifactMatcher } from '../filters/artifact-trigger.js';
import type { CollectionPlace } from '../schema/artifact-events.js';
import type { Automation } from '../schema/automation.js';
import type { Scope } from '../schema/scope.js';
import type { ArtifactChange } from '../state/artifact-change.js';
import { KeyedLists } from './keyed-lists.js';
import { collectionPlaceKeys, scopeKey } from './scope-key.js';

/** An enabled artifact or collection automation, compiled, with the change kind it watches. */
export interface ArtifactWatcher {
  automation: Automation;
  readonly kind: ArtifactChange['kind'];
  readonly scope: Scope;
  readonly match: ArtifactMatcher;
}

/** Enabled artifact automations by change kind and scope: an event meets only those whose scope covers it. */
export class ArtifactIndex {
  readonly #lists = new KeyedLists<ArtifactWatcher>();

  get size(): number {
    return this.#lists.size;
  }

  add(watcher: ArtifactWatcher): void {
    this.#lists.add(keyOf(watcher.kind, scopeKey(watcher.scope)), watcher);
  }

  remove(watcher: ArtifactWatcher): void {
    this.#lists.remove(keyOf(watcher.kind, scopeKey(watcher.scope)), watcher);
  }

  /** The watchers whose change kind and scope these changes can meet, oldest first. */
  candidates(place: CollectionPlace, changes: readonly ArtifactChange[]): readonly ArtifactWatcher[] {
    const keys: string[] = [];
    const places = collectionPlaceKeys(place);
    for (const kind of new Set(changes.map((c) => c.kind))) for (const p of places) keys.push(keyOf(kind, p));
    return this.#lists.merged(keys);
  }
}

function keyOf(kind: string, scope: string): string {
  return `${kind}\u0000${scope}`;
}
