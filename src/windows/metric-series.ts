import { specKey } from './aggregate.js';
import { loadNumbers, saveNumbers } from './aggregate-numbers.js';
import type { ArenaBlock, SeriesArena } from './arena.js';
import { pushAggregate } from './kernels.js';
import type { SeriesLayout, WindowReader } from './layout.js';
import type { SeriesState } from './series-state.js';

const NO_DATA = new Float64Array(0);

/**
 * The finite values of one metric of one run, shared by every automation that watches it: a block of the
 * arena laid out by a SeriesLayout (each reader's first index, one state block per distinct aggregate, a ring
 * sized for the largest window). Values are addressed by absolute index (0 = the first value ever pushed), so
 * aggregates and firings name a value without copying it.
 */
export class MetricSeries<W extends WindowReader = WindowReader> implements ArenaBlock {
  readonly arena: SeriesArena;
  layout: SeriesLayout<W>;
  data: Float64Array;
  base = 0;
  arenaIndex = 0;
  /** How many values were ever pushed; the newest has index `count - 1`. */
  count = 0;
  /** The ring slot of the newest value. */
  last: number;
  /** The step of the last value applied; -1 before any. */
  lastStep = -1;

  constructor(arena: SeriesArena, layout: SeriesLayout<W>) {
    this.arena = arena;
    this.layout = layout;
    this.data = NO_DATA;
    this.last = layout.capacity - 1;
    arena.alloc(this);
  }

  /** Numbers in the block: its layout's length (so `migrate` releases before it changes the layout). */
  get length(): number {
    return this.layout.length;
  }

  /** Bytes of the block. */
  get bytes(): number {
    return this.length * 8;
  }

  /** Give the block back: the series is not used again. */
  free(): void {
    this.arena.release(this);
  }

  /** Append a finite value and update every aggregate once: no allocation. */
  push(value: number): void {
    const layout = this.layout;
    const capacity = layout.capacity;
    const buf = this.data;
    const base = this.base;
    const ring = base + layout.ring;
    let slot = this.last + 1;
    if (slot === capacity) slot = 0;
    buf[ring + slot] = value;
    this.last = slot;
    const newest = this.count;
    this.count = newest + 1;
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
    const s = this.last - (this.count - 1 - i);
    const capacity = this.layout.capacity;
    return this.data[this.base + this.layout.ring + (s < 0 ? s + capacity : s)] as number;
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
   * New aggregates and readers start at the next value.
   */
  migrate(layout: SeriesLayout<W>): void {
    const old = this.layout;
    const n = this.count;
    const keep = Math.min(n, old.capacity, layout.capacity);
    const values = this.slice(n - keep, n - 1);
    // Copied out first: releasing the block may let the arena compact and move everything.
    const oldBlock = this.data.slice(this.base, this.base + this.length);
    this.arena.release(this);
    this.layout = layout;
    this.arena.alloc(this);
    const buf = this.data;
    const base = this.base;
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

  /** `idOf` names a binding's automation, or undefined for a reader since replaced: those are not kept. */
  save(idOf: (watcher: W) => string | undefined): SeriesState {
    const layout = this.layout;
    const n = this.count;
    const bindings: SeriesState['bindings'][number][] = [];
    for (const b of layout.bindings) {
      const automationId = idOf(b.watcher);
      if (automationId === undefined) continue;
      bindings.push({
        automationId,
        firstIndex: this.firstIndex(b.first),
        aggregates: b.aggregates.map((a) => a.key),
      });
    }
    return {
      lastStep: this.lastStep,
      ring: {
        capacity: layout.capacity,
        count: n,
        values: this.slice(Math.max(0, n - layout.capacity), n - 1),
      },
      aggregates: layout.aggregates.map((a) => ({
        ...a.spec,
        start: this.data[this.base + a.offset] as number,
        numbers: saveNumbers(this.data, this.base + a.offset, a),
      })),
      bindings,
    };
  }

  /**
   * A saved series, laid out for the readers installed now (`idOf` names their automations). Saved aggregates
   * and first indices carry over as `migrate` would carry them; readers new since the save start at the next value.
   */
  static load<W extends WindowReader>(
    saved: SeriesState,
    arena: SeriesArena,
    layout: SeriesLayout<W>,
    idOf: (watcher: W) => string | undefined,
  ): MetricSeries<W> {
    const series = new MetricSeries(arena, layout);
    const buf = series.data;
    const base = series.base;
    const { count, values } = saved.ring;
    const keep = Math.min(values.length, layout.capacity);
    for (let k = values.length - keep; k < values.length; k++) {
      buf[base + layout.ring + ((count - values.length + k) % layout.capacity)] = values[k] as number;
    }
    series.count = count;
    series.last = count === 0 ? layout.capacity - 1 : (count - 1) % layout.capacity;
    series.lastStep = saved.lastStep;
    const aggregates = new Map(saved.aggregates.map((s) => [specKey(s), s]));
    for (const a of layout.aggregates) {
      const s = aggregates.get(a.key);
      if (s === undefined) {
        buf[base + a.offset] = count;
        continue;
      }
      buf[base + a.offset] = s.start;
      loadNumbers(buf, base + a.offset, a, s.numbers);
    }
    for (const b of layout.bindings) {
      const id = idOf(b.watcher);
      const s = saved.bindings.find((x) => x.automationId === id);
      buf[base + b.first] = s?.aggregates.every((key) => aggregates.has(key)) ? s.firstIndex : count;
    }
    return series;
  }
}
