import type { RunIdentity } from '../filters/run-filter.js';
import type { Automation } from '../schema/automation.js';
import type { RunState } from '../schema/run-events.js';
import type { Scope } from '../schema/scope.js';
import { KeyedLists } from './keyed-lists.js';
import { runPlaceKeys, scopeKey } from './scope-key.js';

/** An enabled run state automation, compiled. */
export interface StateWatcher {
  automation: Automation;
  readonly scope: Scope;
  readonly states: ReadonlySet<RunState>;
  readonly runFilter: (run: RunIdentity) => boolean;
}

/** Enabled run state automations by scope: a state change meets only those whose scope covers its run. */
export class StateIndex {
  readonly #lists = new KeyedLists<StateWatcher>();

  add(watcher: StateWatcher): void {
    this.#lists.add(scopeKey(watcher.scope), watcher);
  }

  remove(watcher: StateWatcher): void {
    this.#lists.remove(scopeKey(watcher.scope), watcher);
  }

  /** Watchers for a run in (entity, project), oldest automation first. */
  watchers(entity: string, project: string): readonly StateWatcher[] {
    return this.#lists.size === 0 ? [] : this.#lists.merged(runPlaceKeys(entity, project));
  }
}
