/**
 * The (source, id) pairs already accepted, so a redelivered event is ignored. Bounded by count and by age
 * (event time), oldest first out: a duplicate older than the bound is no longer recognised.
 */
export class SeenIds {
  readonly #seen = new Map<string, number>();
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
    for (const [key, time] of saved) this.#seen.set(key, time);
  }

  has(source: string, id: string): boolean {
    return this.#seen.has(key(source, id));
  }

  add(source: string, id: string, time: number): void {
    this.#seen.set(key(source, id), time);
    for (const [k, t] of this.#seen) {
      if (this.#seen.size <= this.#maxCount && t >= time - this.#maxAgeMs) break;
      this.#seen.delete(k);
    }
  }
}

function key(source: string, id: string): string {
  return `${source}\u0000${id}`;
}
