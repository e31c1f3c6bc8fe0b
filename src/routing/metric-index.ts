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
  #version = 0;

  get version(): number {
    return this.#version;
  }

  add(watcher: MetricWatcher): void {
    this.#lists.add(keyOf(scopeKey(watcher.scope), watcher.filter.metric), watcher);
    this.#version += 1;
  }

  remove(watcher: MetricWatcher): void {
    if (this.#lists.remove(keyOf(scopeKey(watcher.scope), watcher.filter.metric), watcher))
      this.#version += 1;
  }

  /** Watchers of `metric` for a run in (entity, project), oldest automation first. */
  watchers(entity: string, project: string, metric: string): readonly MetricWatcher[] {
    const [inEntity, inProject] = runPlaceKeys(entity, project);
    return this.#lists.merged([keyOf(inEntity, metric), keyOf(inProject, metric)]);
  }
}

function keyOf(scope: string, metric: string): string {
  return `${scope}\u0000${metric}`;
}
