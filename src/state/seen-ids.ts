/**
 * The (source, id) pairs already accepted, so a redelivered event is ignored. Bounded by count and by age
 * (event time), oldest first out: a duplicate older than the bound is no longer recognised.
 *
 * Ids are kept in a Set per source, so checking one builds no key string; the eviction queue holds each id,
 * its source's number and its time in parallel arrays (times in a Float64Array, so no boxed number per id).
 */
export class SeenIds {
  readonly #bySource = new Map<string, number>();
  readonly #sources: string[] = [];
  readonly #sets: Set<string>[] = [];
  /** Source numbers whose ids have all gone, to reuse: many one-off sources must not grow memory. */
  readonly #free: number[] = [];
  #size = 0;
  // The queue: entries [#head, #tail) in insertion order.
  #ids: string[] = [];
  #sourceOf = new Int32Array(1024);
  #times = new Float64Array(1024);
  #head = 0;
  #tail = 0;
  readonly #maxCount: number;
  readonly #maxAgeMs: number;

  constructor(maxCount = 1_000_000, maxAgeMs = 7 * 24 * 3600_000) {
    this.#maxCount = maxCount;
    this.#maxAgeMs = maxAgeMs;
  }

  get size(): number {
    return this.#size;
  }

  /** Oldest first, as `source \0 id` keys with their times: the snapshot format. */
  save(): (readonly [string, number])[] {
    const out: (readonly [string, number])[] = [];
    for (let i = this.#head; i < this.#tail; i++) {
      const source = this.#sources[this.#sourceOf[i] as number] as string;
      out.push([`${source}\u0000${this.#ids[i] as string}`, this.#times[i] as number]);
    }
    return out;
  }

  load(saved: readonly (readonly [string, number])[]): void {
    for (const [key, time] of saved) {
      const cut = key.indexOf('\u0000');
      const source = cut < 0 ? '' : key.slice(0, cut);
      const id = cut < 0 ? key : key.slice(cut + 1);
      if (!this.has(source, id)) this.#push(source, id, time);
    }
  }

  has(source: string, id: string): boolean {
    const s = this.#bySource.get(source);
    return s !== undefined && (this.#sets[s] as Set<string>).has(id);
  }

  /** Record a pair not yet seen (`has` is false), then let the oldest go while over a bound. */
  add(source: string, id: string, time: number): void {
    this.#push(source, id, time);
    while (this.#head < this.#tail) {
      const oldest = this.#head;
      if (this.#size <= this.#maxCount && (this.#times[oldest] as number) >= time - this.#maxAgeMs) break;
      const s = this.#sourceOf[oldest] as number;
      const set = this.#sets[s] as Set<string>;
      set.delete(this.#ids[oldest] as string);
      if (set.size === 0) {
        this.#bySource.delete(this.#sources[s] as string);
        this.#free.push(s);
      }
      this.#ids[oldest] = '';
      this.#head += 1;
      this.#size -= 1;
    }
  }

  #push(source: string, id: string, time: number): void {
    let s = this.#bySource.get(source);
    if (s === undefined) {
      s = this.#free.pop() ?? this.#sources.length;
      this.#sources[s] = source;
      this.#sets[s] = new Set();
      this.#bySource.set(source, s);
    }
    (this.#sets[s] as Set<string>).add(id);
    this.#size += 1;
    if (this.#tail === this.#times.length) this.#makeRoom();
    this.#ids[this.#tail] = id;
    this.#sourceOf[this.#tail] = s;
    this.#times[this.#tail] = time;
    this.#tail += 1;
  }

  /** At the end of the arrays: slide the live entries to the front, or grow when they fill more than half. */
  #makeRoom(): void {
    const live = this.#tail - this.#head;
    const length = live * 2 > this.#times.length ? this.#times.length * 2 : this.#times.length;
    const sourceOf = new Int32Array(length);
    const times = new Float64Array(length);
    sourceOf.set(this.#sourceOf.subarray(this.#head, this.#tail));
    times.set(this.#times.subarray(this.#head, this.#tail));
    this.#ids = this.#ids.slice(this.#head, this.#tail);
    this.#sourceOf = sourceOf;
    this.#times = times;
    this.#head = 0;
    this.#tail = live;
  }
}
