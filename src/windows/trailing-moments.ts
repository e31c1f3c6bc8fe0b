import type { Aggregate, AggregateSpec, AggregateState } from './aggregate.js';
import type { ValueRing } from './value-ring.js';

/**
 * Sum and sum of squares of `x − K` over a trailing window, for a mean and variance without catastrophic
 * cancellation: K is a value of the window, reset with each recompute (every `size` values, O(1) amortised).
 */
export class TrailingMoments implements Aggregate {
  readonly spec: AggregateSpec;
  readonly #start: number;
  /** The shift K. */
  shift = 0;
  /** Σ (x − K). */
  sum = 0;
  /** Σ (x − K)². */
  sumSquares = 0;
  #sinceRecompute = 0;

  constructor(spec: AggregateSpec, start: number, numbers: readonly number[] = []) {
    this.spec = spec;
    this.#start = start;
    this.shift = numbers[0] ?? 0;
    this.sum = numbers[1] ?? 0;
    this.sumSquares = numbers[2] ?? 0;
    this.#sinceRecompute = numbers[3] ?? 0;
  }

  save(): AggregateState {
    return {
      ...this.spec,
      start: this.#start,
      numbers: [this.shift, this.sum, this.sumSquares, this.#sinceRecompute],
    };
  }

  push(ring: ValueRing): void {
    const { size, lag } = this.spec;
    const entering = ring.count - 1 - lag;
    if (entering < this.#start) return;
    this.#sinceRecompute += 1;
    if (this.#sinceRecompute >= size) {
      this.#sinceRecompute = 0;
      const k = ring.at(entering);
      let sum = 0;
      let squares = 0;
      for (let i = Math.max(this.#start, entering - size + 1); i <= entering; i++) {
        const d = ring.at(i) - k;
        sum += d;
        squares += d * d;
      }
      this.shift = k;
      this.sum = sum;
      this.sumSquares = squares;
      return;
    }
    const d = ring.at(entering) - this.shift;
    this.sum += d;
    this.sumSquares += d * d;
    const leaving = entering - size;
    if (leaving >= this.#start) {
      const e = ring.at(leaving) - this.shift;
      this.sum -= e;
      this.sumSquares -= e * e;
    }
  }
}
