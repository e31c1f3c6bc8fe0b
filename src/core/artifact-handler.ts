import type { AcceptedEvent } from '../events/parse-event.js';
import { CHANGE_OF, compileArtifactTrigger } from '../filters/artifact-trigger.js';
import type { PatternCache } from '../match/pattern-cache.js';
import { ArtifactIndex, type ArtifactWatcher } from '../routing/artifact-index.js';
import type { CollectionPlace } from '../schema/artifact-events.js';
import type { Automation } from '../schema/automation.js';
import { CollectionStore } from '../state/collection-store.js';
import type { Firer } from './firer.js';
import type { Firing } from './firing.js';
import { type Handler, type Installed, wrongFamily } from './installed.js';

/**
 * Artifact and collection automations (§6): each event is first applied to its collection's state, so that
 * triggers see changes, not requests. Each automation fires at most once per event; no run, no cooldown.
 */
export class ArtifactHandler implements Handler {
  readonly collections = new CollectionStore();
  readonly #index = new ArtifactIndex();
  readonly #patterns: PatternCache;
  readonly #firer: Firer;

  constructor(patterns: PatternCache, firer: Firer) {
    this.#patterns = patterns;
    this.#firer = firer;
  }

  install(automation: Automation): Installed {
    const event = automation.event;
    if (
      event.type === 'OnRunMetric' ||
      event.type === 'OnRunState' ||
      event.type === 'OnRunStalled' ||
      event.type === 'OnSchedule' ||
      event.type === 'OnEvent'
    )
      throw wrongFamily(automation, 'artifact');
    const index = this.#index;
    const watcher: ArtifactWatcher & Installed = {
      automation,
      kind: CHANGE_OF[event.type],
      scope: event.scope,
      match: compileArtifactTrigger(event, this.#patterns),
      uninstall: () => index.remove(watcher),
    };
    index.add(watcher);
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
    if (changes.length === 0 || this.#index.size === 0) return;
    for (const w of this.#index.candidates(place, changes)) {
      const artifact = w.match(place, changes);
      if (artifact === undefined) continue;
      const firing = this.#firer.fire(w.automation, accepted, undefined, { artifact });
      if (firing !== undefined) out.push(firing);
    }
  }
}
