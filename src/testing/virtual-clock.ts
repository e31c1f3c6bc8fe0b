import type { Clock } from '../clock/clock.js';

/** A clock you move by hand: tests and replays run on virtual time. */
export class VirtualClock implements Clock {
  #now: number;

  constructor(start = 0) {
    if (!Number.isFinite(start)) throw new RangeError(`VirtualClock start must be finite, got ${start}`);
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Move forward by `ms` (≥ 0); returns the new time. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance takes a finite ms >= 0, got ${ms}`);
    this.#now += ms;
    return this.#now;
  }

  /** Jump to `ms` (forward or back). */
  set(ms: number): number {
    if (!Number.isFinite(ms)) throw new RangeError(`set takes a finite ms, got ${ms}`);
    this.#now = ms;
    return this.#now;
  }
}
