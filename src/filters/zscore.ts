import type { MetricZScoreFilter } from '../schema/metric-filters.js';
import type { MetricSeries } from '../state/metric-series.js';
import type { AggregateSlot } from '../windows/layout.js';
import { changeMatches } from './change.js';
import type { CompiledMetricFilter } from './compiled-metric-filter.js';
import type { Evidence } from './evidence.js';

/**
 * z = (x − μ) / σ over the baseline of `w` values before x, computed as (w·(x−K) − S) / √(w·Q − S²) from the
 * shifted sums S = Σ(v−K), Q = Σ(v−K)²: the same number, with one division and no cancellation near K.
 */
export function compileZScore(filter: MetricZScoreFilter): CompiledMetricFilter {
  const { window: w, threshold, direction } = filter;
  /** NaN when the baseline is flat and x equals it: no deviation, so nothing to compare. */
  const zscore = (series: MetricSeries, m: AggregateSlot, value: number): number => {
    const sum = series.shiftedSum(m);
    const numerator = w * (value - series.shift(m)) - sum;
    const radicand = w * series.shiftedSquares(m) - sum * sum;
    if (radicand > 0) return numerator / Math.sqrt(radicand);
    if (numerator === 0) return Number.NaN;
    return numerator > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  };
  return {
    definition: filter,
    metric: filter.name,
    needs: [{ kind: 'moments', size: w, lag: 1 }],
    history: w + 1,
    nonFinite: false,
    matches(series: MetricSeries, aggregates: readonly AggregateSlot[], value: number): boolean {
      const z = zscore(series, aggregates[0] as AggregateSlot, value);
      return !Number.isNaN(z) && changeMatches(z, direction, threshold);
    },
    evidence(series: MetricSeries, aggregates: readonly AggregateSlot[], value: number): Evidence {
      const m = aggregates[0] as AggregateSlot;
      const z = zscore(series, m, value);
      const n = series.count;
      return {
        metric: filter.name,
        value,
        values: series.slice(n - 1 - w, n - 2),
        aggregate: series.shift(m) + series.shiftedSum(m) / w,
        threshold,
        direction,
        zscore: z,
      };
    },
  };
}
