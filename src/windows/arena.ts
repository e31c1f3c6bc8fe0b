/** A block of numbers in the arena; the arena moves blocks when it compacts and tells their owners. */
export interface ArenaBlock {
  /** The slab the block is in, and where it starts. */
  data: Float64Array;
  base: number;
  /** Numbers in the block. */
  readonly length: number;
  /** The owner's position in the arena's list, kept by the arena. */
  arenaIndex: number;
}

/** Numbers per slab: 1 MiB. A block longer than that gets a slab of its own. */
const SLAB = 1 << 17;
const NONE = new Float64Array(0);

type Free = { readonly data: Float64Array; readonly base: number };

/**
 * A zeroed slab on a SharedArrayBuffer: V8 counts a plain ArrayBuffer as external memory and starts a full
 * collection each time 64 MB more of it is allocated, which frees nothing here (slabs live as long as their
 * series) and marks every object in the heap: O(runs²) at 10^6 runs. Nothing else shares it.
 */
function slab(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}

/**
 * Where every series keeps its numbers: 1 MiB Float64Array slabs, each holding many series blocks, so a series
 * costs no typed-array objects of its own (about 150 bytes each, and a pointer to chase per value) and at
 * most one slab stands part-empty. Freed blocks are reused by length (the lengths layouts repeat); when less
 * than a quarter of the slabs is in use the arena compacts, moving every block and telling its owner.
 */
export class SeriesArena {
  #slabs: Float64Array[] = [];
  #current: Float64Array = NONE;
  #top = 0;
  #used = 0;
  #capacity = 0;
  #free = new Map<number, Free[]>();
  readonly #owners: ArenaBlock[] = [];

  /** Numbers in live blocks. */
  get used(): number {
    return this.#used;
  }

  /** Bytes of all slabs. */
  get bytes(): number {
    return this.#capacity * 8;
  }

  /** A zeroed block of `owner.length` numbers: sets `owner.data` and `owner.base`. */
  alloc(owner: ArenaBlock): void {
    const length = owner.length;
    const free = this.#free.get(length)?.pop();
    if (free !== undefined) {
      free.data.fill(0, free.base, free.base + length);
      owner.data = free.data;
      owner.base = free.base;
    } else {
      this.#place(owner, length);
    }
    owner.arenaIndex = this.#owners.length;
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
    list.push({ data: owner.data, base: owner.base });
    if (this.#capacity > 2 * SLAB && this.#used * 4 < this.#capacity) this.#compact();
  }

  /** A new block at the top of the current slab, or in a fresh one. */
  #place(owner: ArenaBlock, length: number): void {
    if (length > SLAB) {
      owner.data = slab(length);
      owner.base = 0;
      this.#slabs.push(owner.data);
      this.#capacity += length;
      return;
    }
    if (this.#top + length > this.#current.length) {
      this.#current = slab(SLAB);
      this.#slabs.push(this.#current);
      this.#capacity += SLAB;
      this.#top = 0;
    }
    owner.data = this.#current;
    owner.base = this.#top;
    this.#top += length;
  }

  /** Move every live block into fresh slabs: O(live), paid for by the frees before it. */
  #compact(): void {
    const owners = [...this.#owners];
    this.#slabs = [];
    this.#current = NONE;
    this.#top = 0;
    this.#capacity = 0;
    this.#free = new Map();
    for (const owner of owners) {
      const from = owner.data;
      const base = owner.base;
      this.#place(owner, owner.length);
      owner.data.set(from.subarray(base, base + owner.length), owner.base);
    }
  }
}
