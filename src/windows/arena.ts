import { LayoutIds } from './layout-ids.js';
import { float64s, int32s } from './off-heap.js';

/** Numbers per slab: 1 MiB. A block longer than that gets a slab of its own. */
const SLAB = 1 << 17;
const NONE = new Float64Array(0);

/** Slabs and handle tables are off-heap (see off-heap.ts): at 10^6 runs, counted ones cost O(runs²) in marking. */
const slab = float64s;

/**
 * Where every series keeps its numbers: 1 MiB Float64Array slabs, each holding many blocks, so a series costs
 * no object of its own. A block is a number, its handle: the arena keeps each handle's slab and offset in
 * typed arrays, so moving a block (compaction) tells nobody, and a million series are no million objects for
 * the collector to trace. Freed blocks are reused by length (the lengths layouts repeat); when less than a
 * quarter of the slabs is in use the arena compacts, moving every block.
 */
export class SeriesArena {
  /** Slabs by number; a block is in `slabs[slabOf[h]]` from `baseOf[h]` on, `lengthOf[h]` numbers (0: free). */
  slabs: Float64Array[] = [];
  slabOf = int32s(64);
  baseOf = int32s(64);
  lengthOf = int32s(64);
  #handles = 0;
  #freeHandles: number[] = [];
  #current: Float64Array = NONE;
  #currentIndex = -1;
  #top = 0;
  #used = 0;
  #capacity = 0;
  /** The layouts blocks follow, by the number a block keeps of its own. */
  readonly layouts = new LayoutIds<object>();
  /** Freed places by length, as (slab, base) pairs. */
  #free = new Map<number, number[]>();

  /** Numbers in live blocks. */
  get used(): number {
    return this.#used;
  }

  /** Bytes of all slabs and of the handle table. */
  get bytes(): number {
    return this.#capacity * 8 + this.slabOf.length * 12 + this.#freeHandles.length * 8;
  }

  /** The slab a block is in. */
  data(h: number): Float64Array {
    return this.slabs[this.slabOf[h] as number] as Float64Array;
  }

  /** A zeroed block of `length` numbers; returns its handle. */
  alloc(length: number): number {
    let h = this.#freeHandles.pop();
    // Skip handles cut off the table's end since they were freed, or handed out again by #newHandle since.
    while (h !== undefined && (h >= this.#handles || this.lengthOf[h] !== 0)) h = this.#freeHandles.pop();
    if (h === undefined) h = this.#newHandle();
    this.#put(h, length);
    return h;
  }

  /** Give a block back: its handle may name another block from now on. */
  release(h: number): void {
    this.#take(h);
    this.lengthOf[h] = 0;
    if (h === this.#handles - 1) this.#trim();
    else this.#freeHandles.push(h);
    if (this.#capacity > 2 * SLAB && this.#used * 4 < this.#capacity) this.#compact();
  }

  /** Cut free handles off the table's end, and halve the table while a quarter of it or less is left. */
  #trim(): void {
    let top = this.#handles;
    while (top > 0 && this.lengthOf[top - 1] === 0) top -= 1;
    this.#handles = top;
    if (this.slabOf.length > 64 && top * 4 < this.slabOf.length) {
      let size = this.slabOf.length / 2;
      while (size > 64 && top * 4 < size) size /= 2;
      this.slabOf = this.slabOf.slice(0, size);
      this.baseOf = this.baseOf.slice(0, size);
      this.lengthOf = this.lengthOf.slice(0, size);
      // Handles cut off would only be skipped: drop them now, so the free list shrinks with the table.
      this.#freeHandles = this.#freeHandles.filter((h) => h < top);
    }
  }

  /** Give `h` a fresh zeroed block of `length` numbers in place of its own (whose numbers the caller copied out). */
  replace(h: number, length: number): void {
    this.#take(h);
    this.#put(h, length);
    if (this.#capacity > 2 * SLAB && this.#used * 4 < this.#capacity) this.#compact();
  }

  #newHandle(): number {
    const h = this.#handles++;
    if (h === this.slabOf.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = int32s(a.length * 2);
        b.set(a);
        return b;
      };
      this.slabOf = grow(this.slabOf);
      this.baseOf = grow(this.baseOf);
      this.lengthOf = grow(this.lengthOf);
    }
    return h;
  }

  #put(h: number, length: number): void {
    const free = this.#free.get(length);
    if (free !== undefined && free.length > 0) {
      const base = free.pop() as number;
      const s = free.pop() as number;
      (this.slabs[s] as Float64Array).fill(0, base, base + length);
      this.slabOf[h] = s;
      this.baseOf[h] = base;
    } else {
      this.#place(h, length);
    }
    this.lengthOf[h] = length;
    this.#used += length;
  }

  #take(h: number): void {
    const length = this.lengthOf[h] as number;
    this.#used -= length;
    let list = this.#free.get(length);
    if (list === undefined) {
      list = [];
      this.#free.set(length, list);
    }
    list.push(this.slabOf[h] as number, this.baseOf[h] as number);
  }

  /** A new block at the top of the current slab, or in a fresh one. */
  #place(h: number, length: number): void {
    if (length > SLAB) {
      this.slabOf[h] = this.slabs.length;
      this.baseOf[h] = 0;
      this.slabs.push(slab(length));
      this.#capacity += length;
      return;
    }
    if (this.#top + length > this.#current.length) {
      this.#current = slab(SLAB);
      this.#currentIndex = this.slabs.length;
      this.slabs.push(this.#current);
      this.#capacity += SLAB;
      this.#top = 0;
    }
    this.slabOf[h] = this.#currentIndex;
    this.baseOf[h] = this.#top;
    this.#top += length;
  }

  /**
   * Move every live block into fresh slabs, and cut the handle table after the last live handle: O(handles),
   * paid for by the frees before it. Free handles are then reused lowest first, so the table can shrink again.
   */
  #compact(): void {
    const old = this.slabs;
    this.slabs = [];
    this.#current = NONE;
    this.#currentIndex = -1;
    this.#top = 0;
    this.#capacity = 0;
    this.#free = new Map();
    for (let h = 0; h < this.#handles; h++) {
      const length = this.lengthOf[h] as number;
      if (length === 0) continue;
      const from = old[this.slabOf[h] as number] as Float64Array;
      const base = this.baseOf[h] as number;
      this.#place(h, length);
      this.data(h).set(from.subarray(base, base + length), this.baseOf[h] as number);
    }
    this.#trim();
    const free: number[] = [];
    for (let h = this.#handles - 1; h >= 0; h--) if (this.lengthOf[h] === 0) free.push(h);
    this.#freeHandles = free;
  }
}
