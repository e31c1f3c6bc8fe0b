import type { MetricFilter } from '../schema/metric-filters.js';
import type { AggregateSpec } from '../windows/aggregate.js';
import type { MetricSeries } from '../windows/metric-series.js';
import type { ProbeTest } from '../windows/probe.js';
import type { Evidence } from './evidence.js';

/**
 * A metric filter ready to evaluate. It declares as data what it reads, so the series can share windows
 * between automations without knowing filter kinds.
 */
export interface CompiledMetricFilter {
  readonly definition: MetricFilter;
  readonly metric: string;
  /** The aggregates it reads: `matches` and `evidence` get the block offsets of the first two, in this order. */
  readonly needs: readonly AggregateSpec[];
  /** Finite values needed since the automation began watching before it can evaluate (its windows are full). */
  readonly history: number;
  /** True for filters that see non-finite values; all others see only finite ones. */
  readonly nonFinite: boolean;
  /**
   * What `matches` computes, as data: a number derived from the value and the windows (a probe), a comparison
   * (see `compare`) and a threshold. Filters of one series that derive the same number share its computation,
   * and each is one compare; `matches` must agree with it exactly.
   */
  readonly test?: ProbeTest;
  /** Called after `value` was pushed (finite) or seen (non-finite): the hot path, so it allocates nothing. */
  matches(series: MetricSeries, a: number, b: number, value: number): boolean;
  /** Why it matched: called only for a match, right after `matches`. */
  evidence(series: MetricSeries, a: number, b: number, value: number): Evidence;
}
