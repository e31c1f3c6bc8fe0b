import type { Scope } from '../schema/scope.js';
import { byAge } from './age-order.js';
import type { MetricWatcher } from './watcher.js';

type ByMetric = Map<string, MetricWatcher[]>;
const EMPTY: readonly MetricWatcher[] = Object.freeze([]);

/**
 * Enabled run metric automations by (scope, metric name), so a value touches only the automations that watch
 * it. `version` changes with every add or remove; series rebind lazily when they see a new version.
 */
export class MetricIndex {
  readonly #byEntity = new Map<string, ByMetric>();
  readonly #byProject = new Map<string, ByMetric>();
  #version = 0;

  get version(): number {
    return this.#version;
  }

  add(watcher: MetricWatcher): void {
    const bucket = this.#bucket(watcher.scope, true);
    if (bucket === undefined) return;
    const list = [...(bucket.get(watcher.filter.metric) ?? []), watcher].sort(byAge);
    bucket.set(watcher.filter.metric, list);
    this.#version += 1;
  }

  remove(automationId: string, scope: Scope, metric: string): void {
    const bucket = this.#bucket(scope, false);
    const list = bucket?.get(metric);
    if (bucket === undefined || list === undefined) return;
    const kept = list.filter((w) => w.automation.id !== automationId);
    if (kept.length === list.length) return;
    if (kept.length > 0) bucket.set(metric, kept);
    else bucket.delete(metric);
    if (bucket.size === 0) this.#drop(scope);
    this.#version += 1;
  }

  /** Watchers of `metric` for a run in (entity, project), oldest automation first. */
  watchers(entity: string, project: string, metric: string): readonly MetricWatcher[] {
    const a = this.#byEntity.get(entity)?.get(metric);
    const b = this.#byProject.get(projectKey(entity, project))?.get(metric);
    if (a === undefined) return b ?? EMPTY;
    if (b === undefined) return a;
    return [...a, ...b].sort(byAge);
  }

  #bucket(scope: Scope, create: boolean): ByMetric | undefined {
    const map = this.#mapFor(scope);
    if (map === undefined) return undefined;
    const key = keyOf(scope);
    let bucket = map.get(key);
    if (bucket === undefined && create) {
      bucket = new Map();
      map.set(key, bucket);
    }
    return bucket;
  }

  #drop(scope: Scope): void {
    this.#mapFor(scope)?.delete(keyOf(scope));
  }

  /** Run events happen in projects, so only entity and project scopes can hold run watchers. */
  #mapFor(scope: Scope): Map<string, ByMetric> | undefined {
    if (scope.type === 'entity') return this.#byEntity;
    return scope.type === 'project' ? this.#byProject : undefined;
  }
}

function projectKey(entity: string, project: string): string {
  return `${entity}/${project}`;
}

function keyOf(scope: Scope): string {
  return scope.type === 'project' ? projectKey(scope.entity, scope.project) : scope.entity;
}
