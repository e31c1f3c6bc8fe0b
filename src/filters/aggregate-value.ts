import type { Aggregation } from '../schema/metric-filters.js';
import type { MetricSeries } from '../windows/metric-series.js';
import { EXTREME, MEAN, SUM } from '../windows/probe.js';

/** The aggregate kind a window needs: mean is a sum divided by the window size. */
export function kindFor(agg: Aggregation): 'sum' | 'min' | 'max' {
  return agg === 'mean' ? 'sum' : agg;
}

/** agg over the window of `size` values whose aggregate state is at block offset `offset`. */
export function aggregateValue(agg: Aggregation, series: MetricSeries, offset: number, size: number): number {
  if (agg === 'min' || agg === 'max') return series.extreme(offset);
  return agg === 'mean' ? series.sum(offset) / size : series.sum(offset);
}

/** The probe code of agg over a window (see probe.ts). */
export function probeAgg(agg: Aggregation): number {
  return agg === 'mean' ? MEAN : agg === 'sum' ? SUM : EXTREME;
}
