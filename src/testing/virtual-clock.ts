import type { Clock } from '../clock/clock.js';
import { DefinitionError } from '../errors/definition-error.js';
import { issue } from '../errors/issue.js';

/** A finite number of milliseconds (≥ 0 when `min` is 0), or a DefinitionError naming the argument. */
function ms(value: unknown, name: string, what: string, min = Number.NEGATIVE_INFINITY): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= min) return value;
  const expected = min === 0 ? 'a finite number of ms ≥ 0' : 'a finite number of ms';
  throw new DefinitionError([issue('invalid_type', [name], `expected ${expected}`, value)], what);
}

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
    this.#now = ms(start, 'start', 'VirtualClock');
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, delayMs: number): () => void {
    if (typeof callback !== 'function')
      throw new DefinitionError(
        [issue('invalid_type', ['callback'], 'expected a function', callback)],
        'setTimer',
      );
    // As setTimeout: a delay that is no finite number is 0.
    const delay = typeof delayMs === 'number' && Number.isFinite(delayMs) ? Math.max(0, delayMs) : 0;
    const timer: Timer = { due: this.#now + delay, seq: this.#seq++, callback };
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
  advance(by: number): number {
    return this.#runUntil(this.#now + ms(by, 'ms', 'advance', 0));
  }

  /** Jump to `ms`: forward fires the timers passed; back moves time only. */
  set(to: number): number {
    const target = ms(to, 'ms', 'set');
    if (target < this.#now) {
      this.#now = target;
      return target;
    }
    return this.#runUntil(target);
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
