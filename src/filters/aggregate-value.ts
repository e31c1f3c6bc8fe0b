import type { Aggregation } from '../schema/metric-filters.js';
import type { MetricSeries } from '../state/metric-series.js';
import type { AggregateSlot } from '../windows/layout.js';

/** The aggregate kind a window needs: mean is a sum divided by the window size. */
export function kindFor(agg: Aggregation): 'sum' | 'min' | 'max' {
  return agg === 'mean' ? 'sum' : agg;
}

/** agg over the window `slot` keeps, of `size` values. */
export function aggregateValue(
  agg: Aggregation,
  series: MetricSeries,
  slot: AggregateSlot | undefined,
  size: number,
): number {
  if (slot === undefined) return Number.NaN;
  if (agg === 'min' || agg === 'max') return series.extreme(slot);
  return agg === 'mean' ? series.sum(slot) / size : series.sum(slot);
}
