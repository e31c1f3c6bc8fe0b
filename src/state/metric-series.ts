import type { MetricWatcher } from '../routing/watcher.js';
import { type Aggregate, type AggregateState, capacityFor, specKey } from '../windows/aggregate.js';
import { createAggregate, loadAggregate } from '../windows/create-aggregate.js';
import { ValueRing } from '../windows/value-ring.js';

/** One watcher's view of a series: the aggregates it reads and the first value it saw. */
export interface Binding {
  readonly watcher: MetricWatcher;
  /** Absolute index of the first value logged after the watcher began: its windows hold nothing older. */
  readonly firstIndex: number;
  readonly aggregates: readonly Aggregate[];
}

/**
 * The values of one metric of one run, shared by every automation that watches it: one ring sized for the
 * largest window, one aggregate per distinct (kind, size, lag), however many automations read it.
 */
/** A series as saved in a snapshot: bindings by automation id, since watchers are rebuilt on restore. */
export type SeriesState = {
  readonly lastStep: number;
  readonly ring: { readonly capacity: number; readonly count: number; readonly values: readonly number[] };
  readonly aggregates: readonly AggregateState[];
  readonly bindings: readonly {
    readonly automationId: string;
    readonly firstIndex: number;
    readonly aggregates: readonly string[];
  }[];
};

export class MetricSeries {
  ring = new ValueRing(1);
  /** The step of the last value applied; -1 before any. */
  lastStep = -1;
  /** The index version the bindings were built for. */
  version = -1;
  bindings: readonly Binding[] = [];
  #aggregates: readonly Aggregate[] = [];

  get aggregates(): readonly Aggregate[] {
    return this.#aggregates;
  }

  /**
   * Match the bindings to the current watchers: a watcher already bound keeps its windows; a new one starts
   * at the next value. Aggregates nobody reads any more are dropped.
   */
  rebind(watchers: readonly MetricWatcher[], version: number): void {
    const previous = new Map(this.bindings.map((b) => [b.watcher, b]));
    const oldAggregates = new Map(this.#aggregates.map((a) => [specKey(a.spec), a]));
    const aggregates = new Map<string, Aggregate>();
    const bindings: Binding[] = [];
    let capacity = 1;
    for (const watcher of watchers) {
      const kept = previous.get(watcher);
      const needs = watcher.filter.needs.map((spec) => {
        const key = specKey(spec);
        capacity = Math.max(capacity, capacityFor(spec));
        let aggregate = aggregates.get(key) ?? oldAggregates.get(key);
        if (aggregate === undefined) aggregate = createAggregate(spec, this.ring.count);
        aggregates.set(key, aggregate);
        return aggregate;
      });
      capacity = Math.max(capacity, watcher.filter.history);
      bindings.push({ watcher, firstIndex: kept?.firstIndex ?? this.ring.count, aggregates: needs });
    }
    this.ring.ensureCapacity(capacity);
    this.bindings = bindings;
    this.#aggregates = [...aggregates.values()];
    this.version = version;
  }

  /** `isCurrent` tells a binding's watcher from one since replaced (a new filter, or disabled): those are not kept. */
  save(isCurrent: (watcher: MetricWatcher) => boolean): SeriesState {
    return {
      lastStep: this.lastStep,
      ring: this.ring.save(),
      aggregates: this.#aggregates.map((a) => a.save()),
      bindings: this.bindings
        .filter((b) => isCurrent(b.watcher))
        .map((b) => ({
          automationId: b.watcher.automation.id,
          firstIndex: b.firstIndex,
          aggregates: b.aggregates.map((a) => specKey(a.spec)),
        })),
    };
  }

  /**
   * Rebuild a saved series for the watchers installed now. Its version is left stale, so the next value
   * rebinds exactly as the engine that saved it would have (dropping automations deleted since).
   */
  static load(
    saved: SeriesState,
    watcherOf: (automationId: string) => MetricWatcher | undefined,
  ): MetricSeries {
    const series = new MetricSeries();
    series.ring = ValueRing.load(saved.ring);
    series.lastStep = saved.lastStep;
    const aggregates = new Map(saved.aggregates.map((state) => [specKey(state), loadAggregate(state)]));
    series.#aggregates = [...aggregates.values()];
    series.bindings = saved.bindings.flatMap((b) => {
      const watcher = watcherOf(b.automationId);
      if (watcher === undefined) return [];
      const own = b.aggregates.map((key) => aggregates.get(key));
      return own.every((a) => a !== undefined)
        ? [{ watcher, firstIndex: b.firstIndex, aggregates: own as Aggregate[] }]
        : [];
    });
    return series;
  }

  /** Append a finite value and update every aggregate once. */
  push(value: number): void {
    this.ring.push(value);
    const aggregates = this.#aggregates;
    for (let i = 0; i < aggregates.length; i++) (aggregates[i] as Aggregate).push(this.ring);
  }
}
