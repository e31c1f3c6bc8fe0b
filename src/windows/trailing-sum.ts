import type { Aggregate, AggregateSpec, AggregateState } from './aggregate.js';
import type { ValueRing } from './value-ring.js';

/**
 * A running sum over a trailing window. Adding and subtracting floats drifts, so every `size` values the sum
 * is recomputed from the ring: O(1) amortised, and the error never outlives one window.
 */
export class TrailingSum implements Aggregate {
  readonly spec: AggregateSpec;
  readonly #start: number;
  #sum = 0;
  #sinceRecompute = 0;

  constructor(spec: AggregateSpec, start: number, numbers: readonly number[] = []) {
    this.spec = spec;
    this.#start = start;
    this.#sum = numbers[0] ?? 0;
    this.#sinceRecompute = numbers[1] ?? 0;
  }

  save(): AggregateState {
    return { ...this.spec, start: this.#start, numbers: [this.#sum, this.#sinceRecompute] };
  }

  get sum(): number {
    return this.#sum;
  }

  push(ring: ValueRing): void {
    const { size, lag } = this.spec;
    const entering = ring.count - 1 - lag;
    if (entering < this.#start) return;
    this.#sinceRecompute += 1;
    if (this.#sinceRecompute >= size) {
      this.#sinceRecompute = 0;
      let sum = 0;
      for (let i = Math.max(this.#start, entering - size + 1); i <= entering; i++) sum += ring.at(i);
      this.#sum = sum;
      return;
    }
    this.#sum += ring.at(entering);
    const leaving = entering - size;
    if (leaving >= this.#start) this.#sum -= ring.at(leaving);
  }
}
