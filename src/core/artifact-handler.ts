import type { AcceptedEvent } from '../events/parse-event.js';
import { type ArtifactMatcher, CHANGE_OF, compileArtifactTrigger } from '../filters/artifact-trigger.js';
import type { PatternCache } from '../match/pattern-cache.js';
import { byAge, insertByAge } from '../routing/age-order.js';
import type { CollectionPlace } from '../schema/artifact-events.js';
import type { Automation } from '../schema/automation.js';
import type { Scope } from '../schema/scope.js';
import type { ArtifactChange } from '../state/artifact-change.js';
import { CollectionStore } from '../state/collection-store.js';
import type { Firer } from './firer.js';
import type { Firing } from './firing.js';
import type { Handler, Installed } from './installed.js';

type ArtifactWatcher = Installed & { match: ArtifactMatcher };

/** Where a trigger looks, as the key its watchers are filed under: entity, project, registry or collection. */
function scopeKey(kind: string, scope: Scope): string {
  switch (scope.type) {
    case 'entity':
      return `${kind}\u0000e\u0000${scope.entity}`;
    case 'project':
      return `${kind}\u0000p\u0000${scope.entity}\u0000${scope.project}`;
    case 'registry':
      return `${kind}\u0000r\u0000${scope.entity}\u0000${scope.registry}`;
    case 'collection':
      return 'registry' in scope
        ? `${kind}\u0000cr\u0000${scope.entity}\u0000${scope.registry}\u0000${scope.collection}`
        : `${kind}\u0000cp\u0000${scope.entity}\u0000${scope.project}\u0000${scope.collection}`;
  }
}

/** The keys of every scope that covers `place`, for one change kind (see scopeCovers). */
function placeKeys(kind: string, place: CollectionPlace): string[] {
  const entity = `${kind}\u0000e\u0000${place.entity}`;
  return 'registry' in place
    ? [
        entity,
        `${kind}\u0000r\u0000${place.entity}\u0000${place.registry}`,
        `${kind}\u0000cr\u0000${place.entity}\u0000${place.registry}\u0000${place.collection}`,
      ]
    : [
        entity,
        `${kind}\u0000p\u0000${place.entity}\u0000${place.project}`,
        `${kind}\u0000cp\u0000${place.entity}\u0000${place.project}\u0000${place.collection}`,
      ];
}

/**
 * Artifact and collection automations (§6): each event is first applied to its collection's state, so that
 * triggers see changes, not requests. Each automation fires at most once per event; no run, no cooldown.
 */
export class ArtifactHandler implements Handler {
  readonly collections = new CollectionStore();
  /** Watchers by change kind and scope, oldest first: an event meets only those whose scope covers it. */
  readonly #watchers = new Map<string, readonly ArtifactWatcher[]>();
  readonly #patterns: PatternCache;
  readonly #firer: Firer;

  constructor(patterns: PatternCache, firer: Firer) {
    this.#patterns = patterns;
    this.#firer = firer;
  }

  install(automation: Automation): Installed | undefined {
    const event = automation.event;
    if (event.type === 'OnRunMetric' || event.type === 'OnRunState' || event.type === 'OnEvent')
      return undefined;
    const key = scopeKey(CHANGE_OF[event.type], event.scope);
    const watcher: ArtifactWatcher = {
      automation,
      match: compileArtifactTrigger(event, this.#patterns),
      uninstall: () => {
        const kept = (this.#watchers.get(key) ?? []).filter((w) => w !== watcher);
        if (kept.length > 0) this.#watchers.set(key, kept);
        else this.#watchers.delete(key);
      },
    };
    this.#watchers.set(key, insertByAge(this.#watchers.get(key) ?? [], watcher));
    return watcher;
  }

  handle(accepted: AcceptedEvent, out: Firing[]): void {
    if (accepted.kind !== 'artifact') return;
    const d = accepted.data;
    const place: CollectionPlace =
      'registry' in d
        ? { entity: d.entity, registry: d.registry, collection: d.collection }
        : { entity: d.entity, project: d.project, collection: d.collection };
    const changes = this.collections.getOrCreate(place).apply(accepted.type, accepted.data);
    if (changes.length === 0 || this.#watchers.size === 0) return;
    for (const w of this.#candidates(place, changes)) {
      const artifact = w.match(place, changes);
      if (artifact === undefined) continue;
      const firing = this.#firer.fire(w.automation, accepted, undefined, { artifact });
      if (firing !== undefined) out.push(firing);
    }
  }

  /** The watchers whose change kind and scope this event can meet, oldest first. */
  #candidates(place: CollectionPlace, changes: readonly ArtifactChange[]): readonly ArtifactWatcher[] {
    const lists: (readonly ArtifactWatcher[])[] = [];
    const kinds = new Set(changes.map((c) => c.kind));
    for (const kind of kinds) {
      for (const key of placeKeys(kind, place)) {
        const list = this.#watchers.get(key);
        if (list !== undefined) lists.push(list);
      }
    }
    if (lists.length <= 1) return lists[0] ?? [];
    return lists.flat().sort(byAge);
  }
}
