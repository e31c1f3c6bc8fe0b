import { type AggregateKind, type AggregateSpec, capacityFor, specKey } from './aggregate.js';

/** Aggregate kinds as small integers, so the per-value switch compares numbers, not strings. */
export const SUM = 0;
export const MIN = 1;
export const MAX = 2;
export const MOMENTS = 3;
const KIND_CODE: Readonly<Record<AggregateKind, number>> = { sum: SUM, min: MIN, max: MAX, moments: MOMENTS };

/**
 * Where one aggregate keeps its state in a series buffer, from `offset` on. Every aggregate stores its start
 * (the first absolute index it counts) and its running numbers:
 * - sum: [start, sinceRecompute, Σx]
 * - moments: [start, sinceRecompute, K, Σ(x−K), Σ(x−K)²]
 * - min/max: [start, head, length, deque of `size` absolute indices]
 */
export interface AggregateSlot {
  readonly spec: AggregateSpec;
  readonly key: string;
  readonly code: number;
  readonly size: number;
  readonly lag: number;
  readonly offset: number;
  readonly width: number;
}

/** What a layout needs to know of a reader (an automation's compiled filter). */
export interface WindowReader {
  readonly filter: {
    readonly needs: readonly AggregateSpec[];
    readonly history: number;
    readonly nonFinite?: boolean;
    readonly valueTest?: { readonly op: number; readonly threshold: number };
  };
}

/** One reader of a series: where its first index is kept and the aggregates it reads, in the order it needs them. */
export interface BindingSlot<W> {
  readonly watcher: W;
  /** Buffer offset of the absolute index of the first value logged after the reader began. */
  readonly first: number;
  readonly aggregates: readonly AggregateSlot[];
}

function widthOf(spec: AggregateSpec): number {
  switch (spec.kind) {
    case 'sum':
      return 3;
    case 'moments':
      return 5;
    case 'min':
    case 'max':
      return 3 + spec.size;
  }
}

/**
 * The shape shared by every series of one metric that the same readers watch: one first-index per binding,
 * then one state block per distinct (kind, size, lag), however many readers need it, then a ring of
 * `capacity` values (last, so the small hot numbers share cache lines). A series is a block of `length`
 * numbers laid out so, in the arena; the layout holds the offsets.
 */
export class SeriesLayout<W extends WindowReader> {
  readonly watchers: readonly W[];
  readonly capacity: number;
  readonly aggregates: readonly AggregateSlot[];
  readonly bindings: readonly BindingSlot<W>[];
  // What a value touches, packed so it costs a cache line or two rather than a chase through objects:
  /** Per aggregate: code, size, lag, block offset. */
  readonly packed: Int32Array;
  /** Per binding: finite values needed before it evaluates, or -1 for a filter that sees only non-finite ones. */
  readonly histories: Int32Array;
  /** Per binding: block offsets of its first two aggregates (-1 for none), what its filter reads. */
  readonly reads: Int32Array;
  /** Per binding: its reader's filter. */
  readonly filters: readonly W['filter'][];
  /** Per binding: the comparison of a filter that only compares the value (its `valueTest`), else -1. */
  readonly ops: Int32Array;
  /** Per binding: the number such a filter compares with. */
  readonly thresholds: Float64Array;
  /** Where the ring starts in a series block. */
  readonly ring: number;
  readonly length: number;

  /**
   * `kept` are aggregates no reader needs that a series must still carry (one restored from a snapshot
   * after its automations went), and `minCapacity` the ring it had.
   */
  constructor(watchers: readonly W[], kept: readonly AggregateSpec[] = [], minCapacity = 1) {
    this.watchers = watchers;
    let capacity = minCapacity;
    for (const spec of kept) capacity = Math.max(capacity, capacityFor(spec));
    for (const w of watchers) {
      capacity = Math.max(capacity, w.filter.history);
      for (const spec of w.filter.needs) capacity = Math.max(capacity, capacityFor(spec));
    }
    this.capacity = capacity;
    let offset = watchers.length;
    const byKey = new Map<string, AggregateSlot>();
    const slotFor = (spec: AggregateSpec): AggregateSlot => {
      const key = specKey(spec);
      let slot = byKey.get(key);
      if (slot === undefined) {
        const { kind, size, lag } = spec;
        slot = {
          spec: { kind, size, lag },
          key,
          code: KIND_CODE[kind],
          size,
          lag,
          offset,
          width: widthOf(spec),
        };
        offset += slot.width;
        byKey.set(key, slot);
      }
      return slot;
    };
    this.bindings = watchers.map((watcher, i) => ({
      watcher,
      first: i,
      aggregates: watcher.filter.needs.map(slotFor),
    }));
    for (const spec of kept) slotFor(spec);
    this.aggregates = [...byKey.values()];
    this.packed = Int32Array.from(this.aggregates.flatMap((a) => [a.code, a.size, a.lag, a.offset]));
    this.histories = Int32Array.from(watchers, (w) => (w.filter.nonFinite === true ? -1 : w.filter.history));
    this.reads = Int32Array.from(
      this.bindings.flatMap((b) => [b.aggregates[0]?.offset ?? -1, b.aggregates[1]?.offset ?? -1]),
    );
    this.filters = watchers.map((w) => w.filter);
    this.ops = Int32Array.from(watchers, (w) => w.filter.valueTest?.op ?? -1);
    this.thresholds = Float64Array.from(watchers, (w) => w.filter.valueTest?.threshold ?? 0);
    this.ring = offset;
    this.length = offset + capacity;
  }

  /** True when `watchers` are exactly this layout's, in the same order: the layout can stay. */
  sameWatchers(watchers: readonly W[]): boolean {
    if (watchers.length !== this.watchers.length) return false;
    for (let i = 0; i < watchers.length; i++) if (watchers[i] !== this.watchers[i]) return false;
    return true;
  }
}
