/** What the arena moves when it compacts: a block's owner learns its new base. */
export interface ArenaBlock {
  base: number;
  length: number;
  /** The owner's position in the arena's list, kept by the arena. */
  arenaIndex: number;
}

const MIN_CAPACITY = 1024;

/**
 * One Float64Array holding the buffers of every series, each a block at a base offset: a series costs no
 * typed-array objects of its own (about 150 bytes each, and a cache miss per value to reach the data), and
 * blocks of the sizes layouts repeat are reused. It doubles when full; when less than a quarter is in use
 * it compacts, moving every block and telling its owner, so memory follows what is live.
 */
export class SeriesArena {
  data = new Float64Array(MIN_CAPACITY);
  #top = 0;
  #used = 0;
  readonly #free = new Map<number, number[]>();
  readonly #owners: ArenaBlock[] = [];

  /** Numbers in live blocks. */
  get used(): number {
    return this.#used;
  }

  /** Bytes of the backing array. */
  get bytes(): number {
    return this.data.byteLength;
  }

  /** A zeroed block of `owner.length` numbers: sets `owner.base`. */
  alloc(owner: ArenaBlock): void {
    const length = owner.length;
    let base = this.#free.get(length)?.pop();
    if (base === undefined) {
      if (this.#top + length > this.data.length) this.#grow(this.#top + length);
      base = this.#top;
      this.#top += length;
    } else {
      this.data.fill(0, base, base + length);
    }
    owner.arenaIndex = this.#owners.length;
    owner.base = base;
    this.#owners.push(owner);
    this.#used += length;
  }

  release(owner: ArenaBlock): void {
    const last = this.#owners.pop() as ArenaBlock;
    if (last !== owner) {
      this.#owners[owner.arenaIndex] = last;
      last.arenaIndex = owner.arenaIndex;
    }
    this.#used -= owner.length;
    let list = this.#free.get(owner.length);
    if (list === undefined) {
      list = [];
      this.#free.set(owner.length, list);
    }
    list.push(owner.base);
    if (this.data.length > MIN_CAPACITY && this.#used * 4 < this.data.length) this.#compact();
  }

  #grow(needed: number): void {
    let capacity = this.data.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = new Float64Array(capacity);
    next.set(this.data.subarray(0, this.#top));
    this.data = next;
  }

  /** Move every live block to the front of an array half the size: O(live), paid for by the frees before it. */
  #compact(): void {
    const next = new Float64Array(Math.max(MIN_CAPACITY, this.data.length / 2));
    let top = 0;
    for (const owner of this.#owners) {
      next.set(this.data.subarray(owner.base, owner.base + owner.length), top);
      owner.base = top;
      top += owner.length;
    }
    this.data = next;
    this.#top = top;
    this.#free.clear();
  }
}
