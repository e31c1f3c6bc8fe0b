import { type AggregateKind, type AggregateSpec, capacityFor, specKey } from './aggregate.js';
import { GE, GT, LE, LT, type ProbeTest } from './probe.js';

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
    /** What it compares, as data, so readers of one number share its computation; without it, it tests itself. */
    readonly test?: ProbeTest;
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
  /** The distinct probes of the readers' tests: PROBE_WIDTH numbers each (see probe.ts), reads as block offsets. */
  readonly probes: Int32Array;
  /**
   * Readers that compare one probe with one op: (probe offset in `probes`, op, first member, end member), four
   * numbers each, a probe's groups adjacent. Members are ordered so that the matches come first: thresholds
   * ascending for > and >=, descending for < and <=, so a scan stops at the first one that fails.
   */
  readonly groups: Int32Array;
  /** Group members: binding index and threshold. */
  readonly members: Int32Array;
  readonly memberThresholds: Float64Array;
  /** Bindings of filters that see only non-finite values (all match), and of filters with no `test`. */
  readonly nonFinite: Int32Array;
  readonly others: Int32Array;
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
    const tests = groupTests(this.bindings);
    this.probes = tests.probes;
    this.groups = tests.groups;
    this.members = tests.members;
    this.memberThresholds = tests.thresholds;
    this.nonFinite = tests.nonFinite;
    this.others = tests.others;
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

type Member = { readonly binding: number; readonly threshold: number };

/** Sort the bindings' tests into shared probes and groups by (probe, op), matches first in each group. */
function groupTests<W extends WindowReader>(
  bindings: readonly BindingSlot<W>[],
): {
  probes: Int32Array;
  groups: Int32Array;
  members: Int32Array;
  thresholds: Float64Array;
  nonFinite: Int32Array;
  others: Int32Array;
} {
  const probeAt = new Map<string, number>();
  const probes: number[] = [];
  const groups = new Map<string, { probe: number; op: number; members: Member[] }>();
  const nonFinite: number[] = [];
  const others: number[] = [];
  bindings.forEach((b, i) => {
    const filter = b.watcher.filter;
    if (filter.nonFinite === true) {
      nonFinite.push(i);
      return;
    }
    const test = filter.test;
    if (test === undefined) {
      others.push(i);
      return;
    }
    const { code, agg, size, prior, abs } = test.probe;
    const fields = [
      code,
      agg,
      size,
      prior,
      abs ? 1 : 0,
      b.aggregates[0]?.offset ?? -1,
      b.aggregates[1]?.offset ?? -1,
    ];
    const key = fields.join(':');
    let probe = probeAt.get(key);
    if (probe === undefined) {
      probe = probes.length;
      probes.push(...fields);
      probeAt.set(key, probe);
    }
    const groupKey = `${probe}:${test.op}`;
    let group = groups.get(groupKey);
    if (group === undefined) {
      group = { probe, op: test.op, members: [] };
      groups.set(groupKey, group);
    }
    group.members.push({ binding: i, threshold: test.threshold });
  });
  const ordered = [...groups.values()].sort((x, y) => x.probe - y.probe);
  const packedGroups: number[] = [];
  const members: Member[] = [];
  for (const g of ordered) {
    if (g.op === GT || g.op === GE) g.members.sort((x, y) => x.threshold - y.threshold);
    else if (g.op === LT || g.op === LE) g.members.sort((x, y) => y.threshold - x.threshold);
    packedGroups.push(g.probe, g.op, members.length, members.length + g.members.length);
    members.push(...g.members);
  }
  return {
    probes: Int32Array.from(probes),
    groups: Int32Array.from(packedGroups),
    members: Int32Array.from(members, (m) => m.binding),
    thresholds: Float64Array.from(members, (m) => m.threshold),
    nonFinite: Int32Array.from(nonFinite),
    others: Int32Array.from(others),
  };
}
