import { type Clock, setTimer } from '../clock/clock.js';
import type { Firing } from '../core/firing.js';
import type { Partitions } from '../core/partitions.js';

const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The engine clock's one timer for the core's timed triggers (stalls): set for the earliest deadline only, so
 * an idle engine does nothing per tick. A deadline that moves later leaves the timer as it is: it wakes, finds
 * nothing due and sets itself for the new earliest, so a row costs no timer call.
 */
export class Ticker {
  readonly #clock: Clock;
  readonly #core: Partitions;
  readonly #emit: (firings: readonly Firing[]) => void;
  #cancel: (() => void) | undefined;
  #at: number | undefined;
  #stopped = false;

  constructor(clock: Clock, core: Partitions, emit: (firings: readonly Firing[]) => void) {
    this.#clock = clock;
    this.#core = core;
    this.#emit = emit;
  }

  /** After anything that can bring the earliest deadline forward: an event, a definition change, a restore. */
  rearm(): void {
    if (this.#stopped) return;
    const next = this.#core.nextDue();
    if (next === undefined || (this.#at !== undefined && this.#at <= next)) return;
    this.#cancel?.();
    const now = this.#clock.now();
    // setTimeout overflows past 2^31 − 1 ms (about 24.8 days): a longer wait wakes early and sets itself again.
    const delay = Math.min(Math.max(0, next - now), MAX_DELAY_MS);
    this.#at = now + delay;
    this.#cancel = setTimer(this.#clock, () => this.#wake(), delay);
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
    this.#cancel = undefined;
    this.#at = undefined;
  }

  #wake(): void {
    this.#cancel = undefined;
    this.#at = undefined;
    const firings = this.#core.due(this.#clock.now());
    if (firings.length > 0) this.#emit(firings);
    this.rearm();
  }
}
