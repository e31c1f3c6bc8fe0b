import { type Clock, setTimer } from '../clock/clock.js';
import type { EngineState } from './engine-state.js';
import type { StateStore } from './state-store.js';

/**
 * Checkpoints to a store. They never queue: at most one save is in flight, and any number of requests made
 * meanwhile share the one that follows it, which takes its snapshot when it starts, so it holds the newest
 * state (a slow disk costs one snapshot more, never one per request).
 */
export class Checkpointer {
  readonly #store: StateStore;
  readonly #snapshot: () => EngineState;
  #saving: Promise<void> | undefined;
  #next: Promise<void> | undefined;
  #cancelTimer: (() => void) | undefined;
  #stopped = false;

  constructor(store: StateStore, snapshot: () => EngineState) {
    this.#store = store;
    this.#snapshot = snapshot;
  }

  request(): Promise<void> {
    if (this.#next !== undefined) return this.#next;
    if (this.#saving === undefined) return this.#save();
    const settled = this.#saving.then(
      () => undefined,
      () => undefined,
    );
    this.#next = settled.then(() => {
      this.#next = undefined;
      return this.#save();
    });
    return this.#next;
  }

  /** Request one every `everyMs` on the clock until `stop()`; a failure is handed to `report`, once per save. */
  every(clock: Clock, everyMs: number, report: (error: unknown) => void): void {
    let reported: Promise<void> | undefined;
    const tick = (): void => {
      if (this.#stopped) return;
      const saving = this.request();
      if (saving !== reported) {
        reported = saving;
        saving.catch(report);
      }
      this.#cancelTimer = setTimer(clock, tick, everyMs);
    };
    this.#cancelTimer = setTimer(clock, tick, everyMs);
  }

  stop(): void {
    this.#stopped = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  #save(): Promise<void> {
    // Inside the executor, a throwing snapshot or store becomes a rejection, never a synchronous throw.
    const saving = new Promise<void>((resolve, reject) => {
      Promise.resolve(this.#store.save(this.#snapshot())).then(resolve, reject);
    });
    this.#saving = saving;
    const clear = (): void => {
      if (this.#saving === saving) this.#saving = undefined;
    };
    saving.then(clear, clear);
    return saving;
  }
}
