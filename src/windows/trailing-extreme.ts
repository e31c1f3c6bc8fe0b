import type { Aggregate, AggregateSpec, AggregateState } from './aggregate.js';
import type { ValueRing } from './value-ring.js';

/**
 * Minimum or maximum over a trailing window by a monotonic deque of absolute indices: each value enters and
 * leaves once, so O(1) amortised. The deque lives in a Float64Array ring of `size` slots.
 */
export class TrailingExtreme implements Aggregate {
  readonly spec: AggregateSpec;
  readonly #start: number;
  readonly #max: boolean;
  readonly #deque: Float64Array;
  #head = 0;
  #length = 0;

  constructor(spec: AggregateSpec, start: number, numbers: readonly number[] = []) {
    this.spec = spec;
    this.#start = start;
    this.#max = spec.kind === 'max';
    this.#deque = new Float64Array(spec.size);
    // Saved as the deque's indices, front first.
    for (const index of numbers.slice(0, spec.size)) this.#deque[this.#length++] = index;
  }

  save(): AggregateState {
    const indices: number[] = [];
    for (let i = 0; i < this.#length; i++)
      indices.push(this.#deque[(this.#head + i) % this.#deque.length] as number);
    return { ...this.spec, start: this.#start, numbers: indices };
  }

  /** The index of the extreme value in the window (the oldest one among equals). */
  get index(): number {
    return this.#deque[this.#head] as number;
  }

  push(ring: ValueRing): void {
    const { size, lag } = this.spec;
    const entering = ring.count - 1 - lag;
    if (entering < this.#start) return;
    const deque = this.#deque;
    const cap = deque.length;
    while (this.#length > 0 && (deque[this.#head] as number) <= entering - size) {
      this.#head = (this.#head + 1) % cap;
      this.#length -= 1;
    }
    const value = ring.at(entering);
    while (this.#length > 0) {
      const back = ring.at(deque[(this.#head + this.#length - 1) % cap] as number);
      if (this.#max ? back < value : back > value) this.#length -= 1;
      else break;
    }
    deque[(this.#head + this.#length) % cap] = entering;
    this.#length += 1;
  }
}
