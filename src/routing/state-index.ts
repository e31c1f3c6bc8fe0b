import type { RunIdentity } from '../filters/run-filter.js';
import type { Automation } from '../schema/automation.js';
import type { RunState } from '../schema/run-events.js';
import type { Scope } from '../schema/scope.js';
import type { RunCount } from '../schema/triggers.js';
import type { CountBook } from '../state/count-book.js';
import { KeyedLists } from './keyed-lists.js';
import { runPlaceKeys, scopeKey } from './scope-key.js';

/** An enabled run state automation, compiled. */
export interface StateWatcher {
  automation: Automation;
  readonly scope: Scope;
  readonly states: ReadonlySet<RunState>;
  readonly runFilter: (run: RunIdentity) => boolean;
  /** A count trigger's spec and its book of groups, shared by the partitions. */
  readonly count?: { readonly spec: RunCount; readonly book: CountBook };
}

/** Enabled run state automations by scope: a state change meets only those whose scope covers its run. */
export class StateIndex {
  readonly #lists = new KeyedLists<StateWatcher>();

  readonly #all = new Map<string, StateWatcher>();

  add(watcher: StateWatcher): void {
    this.#lists.add(scopeKey(watcher.scope), watcher);
    this.#all.set(watcher.automation.id, watcher);
  }

  remove(watcher: StateWatcher): void {
    this.#lists.remove(scopeKey(watcher.scope), watcher);
    if (this.#all.get(watcher.automation.id) === watcher) this.#all.delete(watcher.automation.id);
  }

  /** The watcher of an automation id, if installed (restoring count groups). */
  find(id: string): StateWatcher | undefined {
    return this.#all.get(id);
  }

  /** Every installed count watcher. */
  *counting(): IterableIterator<StateWatcher> {
    for (const w of this.#all.values()) if (w.count !== undefined) yield w;
  }

  /** Watchers for a run in (entity, project), oldest automation first. */
  watchers(entity: string, project: string): readonly StateWatcher[] {
    return this.#lists.size === 0 ? [] : this.#lists.merged(runPlaceKeys(entity, project));
  }
}
