/**
 * The finite values of one series, newest last, in a Float64Array ring. Values are addressed by their absolute
 * index (0 = the first value ever pushed), so aggregates and firings can name a value without copying it.
 */
export class ValueRing {
  #values: Float64Array;
  /** How many values were ever pushed; the newest has index `count - 1`. */
  count = 0;

  constructor(capacity: number) {
    this.#values = new Float64Array(Math.max(1, capacity));
  }

  get capacity(): number {
    return this.#values.length;
  }

  /** The value at absolute index `i`; valid for the last `capacity` indices only. */
  at(i: number): number {
    return this.#values[i % this.#values.length] as number;
  }

  push(value: number): void {
    this.#values[this.count % this.#values.length] = value;
    this.count += 1;
  }

  /** Grow to hold at least `capacity` values, keeping those already held. */
  ensureCapacity(capacity: number): void {
    const old = this.#values;
    if (capacity <= old.length) return;
    const next = new Float64Array(capacity);
    const from = Math.max(0, this.count - old.length);
    for (let i = from; i < this.count; i++) next[i % capacity] = old[i % old.length] as number;
    this.#values = next;
  }

  /** Copies of values `[from, to]` (absolute, inclusive), oldest first: only for evidence, never on the hot path. */
  slice(from: number, to: number): number[] {
    const out: number[] = [];
    for (let i = from; i <= to; i++) out.push(this.at(i));
    return out;
  }

  /** The values still held, oldest first, and the count: enough to rebuild the ring exactly. */
  save(): { readonly capacity: number; readonly count: number; readonly values: number[] } {
    return {
      capacity: this.capacity,
      count: this.count,
      values: this.slice(Math.max(0, this.count - this.capacity), this.count - 1),
    };
  }

  static load(saved: {
    readonly capacity: number;
    readonly count: number;
    readonly values: readonly number[];
  }): ValueRing {
    const ring = new ValueRing(saved.capacity);
    const first = saved.count - saved.values.length;
    saved.values.forEach((v, i) => {
      ring.#values[(first + i) % ring.#values.length] = v;
    });
    ring.count = saved.count;
    return ring;
  }

  /** Bytes held by the typed array. */
  get bytes(): number {
    return this.#values.byteLength;
  }
}
