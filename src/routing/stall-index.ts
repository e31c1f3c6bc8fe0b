import type { RunIdentity } from '../filters/run-filter.js';
import type { Automation } from '../schema/automation.js';
import type { Scope } from '../schema/scope.js';
import { KeyedLists } from './keyed-lists.js';
import { runPlaceKeys, scopeKey } from './scope-key.js';

/** An enabled stall automation, compiled. */
export interface StallWatcher {
  automation: Automation;
  readonly scope: Scope;
  readonly forMs: number;
  readonly metric: string | undefined;
  readonly runFilter: (run: RunIdentity) => boolean;
}

/** Enabled stall automations by scope, and by id (restoring marks). */
export class StallIndex {
  readonly #lists = new KeyedLists<StallWatcher>();
  readonly #byId = new Map<string, StallWatcher>();

  get empty(): boolean {
    return this.#byId.size === 0;
  }

  add(watcher: StallWatcher): void {
    this.#lists.add(scopeKey(watcher.scope), watcher);
    this.#byId.set(watcher.automation.id, watcher);
  }

  remove(watcher: StallWatcher): void {
    this.#lists.remove(scopeKey(watcher.scope), watcher);
    if (this.#byId.get(watcher.automation.id) === watcher) this.#byId.delete(watcher.automation.id);
  }

  find(id: string): StallWatcher | undefined {
    return this.#byId.get(id);
  }

  /** Watchers for a run in (entity, project), oldest automation first. */
  watchers(entity: string, project: string): readonly StallWatcher[] {
    return this.#lists.merged(runPlaceKeys(entity, project));
  }
}
