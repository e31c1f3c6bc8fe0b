import type { MetricFilter } from '../schema/metric-filters.js';
import type { Aggregate, AggregateSpec } from '../windows/aggregate.js';
import type { ValueRing } from '../windows/value-ring.js';
import type { Evidence } from './evidence.js';

/**
 * A metric filter ready to evaluate. It declares as data what it reads, so the index and the series can share
 * windows between automations without knowing filter kinds.
 */
export interface CompiledMetricFilter {
  readonly definition: MetricFilter;
  readonly metric: string;
  /** The aggregates `evaluate` receives, in this order. */
  readonly needs: readonly AggregateSpec[];
  /** Finite values needed since the automation began watching before it can evaluate (its windows are full). */
  readonly history: number;
  /** True for filters that see non-finite values; all others see only finite ones. */
  readonly nonFinite: boolean;
  /** Called after `value` was pushed (finite) or seen (non-finite); allocates only when it matches. */
  evaluate(ring: ValueRing, aggregates: readonly Aggregate[], value: number): Evidence | undefined;
}
