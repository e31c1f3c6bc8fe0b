import type { SeriesArena } from './arena.js';
import { pushAggregate } from './kernels.js';
import type { SeriesLayout, WindowReader } from './layout.js';

// A block starts with a header of 4 numbers, before what its layout lays out (`base` points past them):
const HEADER = 4;
const NO_DATA = new Float64Array(0);
/** The one value `push` appends, in an array for `pushAt`. */
const ONE = new Float64Array(1);
/** How many values were ever pushed. */
const COUNT = -4;
/** The ring slot of the newest value. */
const LAST = -3;
/** The step of the last value applied; -1 before any. */
const LAST_STEP = -2;
/** The number of the layout it follows (the arena's `layouts`). */
const LAYOUT = -1;

/**
 * The finite values of one metric of one run, shared by every automation that watches it: a block of the
 * arena laid out by a SeriesLayout (each reader's first index, one state block per distinct aggregate, a ring
 * sized for the largest window). Values are addressed by absolute index (0 = the first value ever pushed), so
 * aggregates and firings name a value without copying it.
 *
 * A series is its block's handle, a number: everything it knows is in the block. This object is a view, bound
 * to one handle at a time (`bind`), so a store of a million series needs one view, not a million objects.
 */
export class MetricSeries<W extends WindowReader = WindowReader> {
  readonly arena: SeriesArena;
  /** The block it shows, and that block's layout, slab and start past the header (read by `bind`). */
  handle: number;
  layout: SeriesLayout<W>;
  data: Float64Array;
  base: number;

  /** A view of a new empty series laid out by `layout`, or of the series whose handle is given. */
  constructor(arena: SeriesArena, layout: SeriesLayout<W> | number) {
    this.arena = arena;
    if (typeof layout === 'number') {
      this.handle = layout;
      this.data = arena.data(layout);
      this.base = (arena.baseOf[layout] as number) + HEADER;
      this.layout = arena.layouts.layouts[this.data[this.base + LAYOUT] as number] as SeriesLayout<W>;
    } else {
      this.handle = -1;
      this.layout = layout;
      this.data = NO_DATA;
      this.base = 0;
      this.create(layout);
    }
  }

  /** Show the series `h`. */
  bind(h: number): void {
    const arena = this.arena;
    const data = arena.data(h);
    const base = (arena.baseOf[h] as number) + HEADER;
    this.handle = h;
    this.data = data;
    this.base = base;
    this.layout = arena.layouts.layouts[data[base + LAYOUT] as number] as SeriesLayout<W>;
  }

  /** Make a new empty series laid out by `layout` and show it; its handle is then `handle`. */
  create(layout: SeriesLayout<W>): void {
    const arena = this.arena;
    const h = arena.alloc(HEADER + layout.length);
    this.handle = h;
    this.layout = layout;
    this.data = arena.data(h);
    this.base = (arena.baseOf[h] as number) + HEADER;
    this.last = layout.capacity - 1;
    this.lastStep = -1;
    this.data[this.base + LAYOUT] = arena.layouts.acquire(layout);
  }

  /** Give back the block of series `h`: it is not used again. */
  static free(arena: SeriesArena, h: number): void {
    const data = arena.data(h);
    arena.layouts.release(data[(arena.baseOf[h] as number) + HEADER + LAYOUT] as number);
    arena.release(h);
  }

  /** How many values were ever pushed; the newest has index `count - 1`. */
  get count(): number {
    return this.data[this.base + COUNT] as number;
  }
  set count(n: number) {
    this.data[this.base + COUNT] = n;
  }

  /** The ring slot of the newest value. */
  get last(): number {
    return this.data[this.base + LAST] as number;
  }
  set last(slot: number) {
    this.data[this.base + LAST] = slot;
  }

  /** The step of the last value applied; -1 before any. */
  get lastStep(): number {
    return this.data[this.base + LAST_STEP] as number;
  }
  set lastStep(step: number) {
    this.data[this.base + LAST_STEP] = step;
  }

  /** Append a finite value and update every aggregate once (the hot path passes the value's place: `pushAt`). */
  push(value: number): void {
    ONE[0] = value;
    this.pushAt(ONE, 0);
  }

  /**
   * Append the finite value `values[k]` and update every aggregate once: no allocation. The value is read here,
   * not passed: a number passed to a call that is not inlined (this one is too large to be) is boxed.
   */
  pushAt(values: Float64Array, k: number): void {
    const value = values[k] as number;
    const layout = this.layout;
    const capacity = layout.capacity;
    const buf = this.data;
    const base = this.base;
    const ring = base + layout.ring;
    let slot = (buf[base + LAST] as number) + 1;
    if (slot === capacity) slot = 0;
    buf[ring + slot] = value;
    buf[base + LAST] = slot;
    const newest = buf[base + COUNT] as number;
    buf[base + COUNT] = newest + 1;
    const packed = layout.packed;
    for (let i = 0; i < packed.length; i += 4) {
      pushAggregate(
        buf,
        packed[i] as number,
        packed[i + 1] as number,
        packed[i + 2] as number,
        base + (packed[i + 3] as number),
        ring,
        newest,
        slot,
        capacity,
      );
    }
  }

  /** The value at absolute index `i`; valid for the last `capacity` indices only. */
  at(i: number): number {
    const buf = this.data;
    const base = this.base;
    const s = (buf[base + LAST] as number) - ((buf[base + COUNT] as number) - 1 - i);
    const capacity = this.layout.capacity;
    return buf[base + this.layout.ring + (s < 0 ? s + capacity : s)] as number;
  }

  /** The absolute index of the first value a binding saw (its `first` offset). */
  firstIndex(first: number): number {
    return this.data[this.base + first] as number;
  }

  // Aggregates are read by their block offset (SeriesLayout `reads`, or an AggregateSlot's `offset`).

  /** Σ over a sum aggregate's window. */
  sum(offset: number): number {
    return this.data[this.base + offset + 2] as number;
  }

  /** The min or max of an extreme aggregate's window. */
  extreme(offset: number): number {
    const buf = this.data;
    const off = this.base + offset;
    return this.at(buf[off + 3 + (buf[off + 1] as number)] as number);
  }

  /** A moments aggregate's shift K, Σ(x−K) and Σ(x−K)². */
  shift(offset: number): number {
    return this.data[this.base + offset + 2] as number;
  }
  shiftedSum(offset: number): number {
    return this.data[this.base + offset + 3] as number;
  }
  shiftedSquares(offset: number): number {
    return this.data[this.base + offset + 4] as number;
  }

  /** Copies of values `[from, to]` (absolute, inclusive), oldest first: only for evidence, never on the hot path. */
  slice(from: number, to: number): number[] {
    const out: number[] = [];
    for (let i = from; i <= to; i++) out.push(this.at(i));
    return out;
  }

  /**
   * Re-lay the series for new readers: values kept as far as the new ring holds them, an aggregate kept when
   * the new layout has one of the same (kind, size, lag), a reader's first index kept when it was bound before.
   * New aggregates and readers start at the next value. The handle stays.
   */
  migrate(layout: SeriesLayout<W>): void {
    const old = this.layout;
    const n = this.count;
    const lastStep = this.lastStep;
    const keep = Math.min(n, old.capacity, layout.capacity);
    const values = this.slice(n - keep, n - 1);
    // Copied out first: the new block may be anywhere, and making it may let the arena compact.
    const oldBlock = this.data.slice(this.base, this.base + old.length);
    const oldId = this.data[this.base + LAYOUT] as number;
    const arena = this.arena;
    const newId = arena.layouts.acquire(layout);
    arena.layouts.release(oldId);
    arena.replace(this.handle, HEADER + layout.length);
    this.layout = layout;
    this.data = arena.data(this.handle);
    this.base = (arena.baseOf[this.handle] as number) + HEADER;
    const buf = this.data;
    const base = this.base;
    buf[base + LAYOUT] = newId;
    this.count = n;
    this.lastStep = lastStep;
    values.forEach((v, k) => {
      buf[base + layout.ring + ((n - keep + k) % layout.capacity)] = v;
    });
    for (const a of layout.aggregates) {
      const before = old.aggregates.find((o) => o.key === a.key);
      if (before === undefined) buf[base + a.offset] = n;
      else buf.set(oldBlock.subarray(before.offset, before.offset + before.width), base + a.offset);
    }
    for (const b of layout.bindings) {
      const before = old.bindings.find((o) => o.watcher === b.watcher);
      buf[base + b.first] = before === undefined ? n : (oldBlock[before.first] as number);
    }
    this.last = n === 0 ? layout.capacity - 1 : (n - 1) % layout.capacity;
  }
}
