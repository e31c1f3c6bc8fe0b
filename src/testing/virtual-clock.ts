import type { Clock } from '../clock/clock.js';

type Timer = { readonly due: number; readonly seq: number; readonly callback: () => void };

/**
 * A clock you move by hand: tests and replays run on virtual time. Timers fire in due order, each with the
 * clock set to its due time, when `advance` or `set` passes them.
 */
export class VirtualClock implements Clock {
  #now: number;
  #timers: Timer[] = [];
  #seq = 0;

  constructor(start = 0) {
    if (!Number.isFinite(start)) throw new RangeError(`VirtualClock start must be finite, got ${start}`);
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, delayMs: number): () => void {
    const timer: Timer = { due: this.#now + Math.max(0, delayMs), seq: this.#seq++, callback };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** Timers waiting to fire. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** When the next timer is due, if any. */
  get nextTimer(): number | undefined {
    return this.#next()?.due;
  }

  /** Move forward by `ms` (≥ 0), firing the timers it passes; returns the new time. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance takes a finite ms >= 0, got ${ms}`);
    return this.#runUntil(this.#now + ms);
  }

  /** Jump to `ms`: forward fires the timers passed; back moves time only. */
  set(ms: number): number {
    if (!Number.isFinite(ms)) throw new RangeError(`set takes a finite ms, got ${ms}`);
    if (ms < this.#now) {
      this.#now = ms;
      return ms;
    }
    return this.#runUntil(ms);
  }

  #next(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers)
      if (best === undefined || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    return best;
  }

  #runUntil(target: number): number {
    for (let t = this.#next(); t !== undefined && t.due <= target; t = this.#next()) {
      this.#timers = this.#timers.filter((x) => x !== t);
      this.#now = Math.max(this.#now, t.due);
      t.callback();
    }
    this.#now = target;
    return target;
  }
}
