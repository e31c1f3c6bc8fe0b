import { type Clock, setTimer } from '../../clock/clock.js';
import { DueHeap } from './due-heap.js';

/** What the scheduler orders: a due time it may move (only while the item is out of the heap), and arrival. */
export interface Schedulable {
  due: number;
  readonly seq: number;
}

export type SchedulerOptions<T> = {
  readonly clock: Clock;
  /** Whether another item may start now (the attempt stage's concurrency). */
  readonly hasRoom: () => boolean;
  /**
   * Hand over an item that is due: it starts or ends (false), or it is held back (true) after moving its
   * `due` later, and waits again.
   */
  readonly dispatch: (item: T, now: number) => boolean;
};

/**
 * The scheduler stage: items wait in a due heap, earliest first (equal due times in arrival order), and one
 * timer on the clock is set for the earliest. `pump` hands over every item that is due while there is room.
 */
export class Scheduler<T extends Schedulable> {
  readonly #o: SchedulerOptions<T>;
  readonly #waiting = new DueHeap<T>();
  #cancelTimer: (() => void) | undefined;
  #timerDue = Number.POSITIVE_INFINITY;
  #stopped = false;

  constructor(options: SchedulerOptions<T>) {
    this.#o = options;
  }

  /** Wait until `item.due`; nothing starts before the next `pump`. */
  add(item: T): void {
    this.#waiting.push(item);
  }

  pump(): void {
    if (this.#stopped) return;
    const now = this.#o.clock.now();
    // Items held back go back after the loop, so one pump sees each due item once.
    const deferred: T[] = [];
    for (;;) {
      const next = this.#waiting.peek();
      if (next === undefined || next.due > now || !this.#o.hasRoom()) break;
      const item = this.#waiting.pop() as T;
      if (this.#o.dispatch(item, now)) deferred.push(item);
    }
    for (const item of deferred) this.#waiting.push(item);
    this.#schedule();
  }

  /** Start nothing more; the items stay where they are. */
  stop(): void {
    this.#stopped = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  /** One timer, for the earliest due item; the pump runs again when it fires or when anything changes. */
  #schedule(): void {
    const next = this.#waiting.peek()?.due ?? Number.POSITIVE_INFINITY;
    if (next === this.#timerDue && this.#cancelTimer !== undefined) return;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#timerDue = next;
    if (next === Number.POSITIVE_INFINITY || !this.#o.hasRoom()) return;
    this.#cancelTimer = setTimer(
      this.#o.clock,
      () => {
        this.#cancelTimer = undefined;
        this.#timerDue = Number.POSITIVE_INFINITY;
        this.pump();
      },
      next - this.#o.clock.now(),
    );
  }
}
