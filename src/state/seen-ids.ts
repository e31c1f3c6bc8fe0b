/**
 * The (source, id) pairs already accepted, so a redelivered event is ignored. Bounded by count and by age
 * (event time), oldest first out: a duplicate older than the bound is no longer recognised.
 */
export class SeenIds {
  readonly #seen = new Map<string, number>();
  /** Keys in insertion order, from `#head` on: the eviction queue. */
  #order: string[] = [];
  #head = 0;
  readonly #maxCount: number;
  readonly #maxAgeMs: number;

  constructor(maxCount = 1_000_000, maxAgeMs = 7 * 24 * 3600_000) {
    this.#maxCount = maxCount;
    this.#maxAgeMs = maxAgeMs;
  }

  get size(): number {
    return this.#seen.size;
  }

  save(): (readonly [string, number])[] {
    return [...this.#seen];
  }

  load(saved: readonly (readonly [string, number])[]): void {
    for (const [key, time] of saved) {
      this.#seen.set(key, time);
      this.#order.push(key);
    }
  }

  has(source: string, id: string): boolean {
    return this.#seen.has(key(source, id));
  }

  add(source: string, id: string, time: number): void {
    const k = key(source, id);
    this.#seen.set(k, time);
    this.#order.push(k);
    // Oldest out through a queue of keys: walking the Map from its start would pass every deleted slot (quadratic).
    while (this.#head < this.#order.length) {
      const oldest = this.#order[this.#head] as string;
      const t = this.#seen.get(oldest);
      if (t !== undefined && this.#seen.size <= this.#maxCount && t >= time - this.#maxAgeMs) break;
      this.#seen.delete(oldest);
      this.#head += 1;
    }
    if (this.#head > 4096 && this.#head * 2 > this.#order.length) {
      this.#order = this.#order.slice(this.#head);
      this.#head = 0;
    }
  }
}

function key(source: string, id: string): string {
  return `${source}\u0000${id}`;
}
