import type { ReaderIndex } from '../windows/metric-plan.js';
import { KeyedLists } from './keyed-lists.js';
import { runPlaceKeys, scopeKey } from './scope-key.js';
import type { MetricWatcher } from './watcher.js';

/**
 * Enabled run metric automations by (scope, metric name), so a value touches only the automations that watch
 * it. `version` changes with every add or remove; series rebind lazily when they see a new version.
 */
export class MetricIndex implements ReaderIndex<MetricWatcher> {
  readonly #lists = new KeyedLists<MetricWatcher>();
  /** Watchers with a run filter, by scope alone: what a run's profile asks (see RunProfiles). */
  readonly #filtered = new KeyedLists<MetricWatcher>();
  #version = 0;

  get version(): number {
    return this.#version;
  }

  add(watcher: MetricWatcher): void {
    this.#lists.add(keyOf(scopeKey(watcher.scope), watcher.filter.metric), watcher);
    if (watcher.runTest !== undefined) this.#filtered.add(scopeKey(watcher.scope), watcher);
    this.#version += 1;
  }

  remove(watcher: MetricWatcher): void {
    if (this.#lists.remove(keyOf(scopeKey(watcher.scope), watcher.filter.metric), watcher)) {
      this.#filtered.remove(scopeKey(watcher.scope), watcher);
      this.#version += 1;
    }
  }

  /** Watchers of `metric` for a run in (entity, project), oldest automation first. */
  watchers(entity: string, project: string, metric: string): readonly MetricWatcher[] {
    const [inEntity, inProject] = runPlaceKeys(entity, project);
    return this.#lists.merged([keyOf(inEntity, metric), keyOf(inProject, metric)]);
  }

  /** Watchers with a run filter, of any metric, for a run in (entity, project). */
  filtered(entity: string, project: string): readonly MetricWatcher[] {
    return this.#filtered.merged(runPlaceKeys(entity, project));
  }
}

function keyOf(scope: string, metric: string): string {
  return `${scope}\u0000${metric}`;
}
