import type { MetricZScoreFilter } from '../schema/metric-filters.js';
import type { Aggregate } from '../windows/aggregate.js';
import type { TrailingMoments } from '../windows/trailing-moments.js';
import type { ValueRing } from '../windows/value-ring.js';
import { changeMatches } from './change.js';
import type { CompiledMetricFilter } from './compiled-metric-filter.js';
import type { Evidence } from './evidence.js';

/**
 * z = (x − μ) / σ over the baseline of `w` values before x, computed as (w·(x−K) − S) / √(w·Q − S²) from the
 * shifted sums S = Σ(v−K), Q = Σ(v−K)²: the same number, with one division and no cancellation near K.
 */
export function compileZScore(filter: MetricZScoreFilter): CompiledMetricFilter {
  const { window: w, threshold, direction } = filter;
  return {
    definition: filter,
    metric: filter.name,
    needs: [{ kind: 'moments', size: w, lag: 1 }],
    history: w + 1,
    nonFinite: false,
    evaluate(ring: ValueRing, aggregates: readonly Aggregate[], value: number): Evidence | undefined {
      const m = aggregates[0] as TrailingMoments;
      const numerator = w * (value - m.shift) - m.sum;
      const radicand = w * m.sumSquares - m.sum * m.sum;
      let z: number;
      if (radicand > 0) z = numerator / Math.sqrt(radicand);
      else if (numerator === 0) return undefined;
      else z = numerator > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      if (!changeMatches(z, direction, threshold)) return undefined;
      const n = ring.count;
      return {
        metric: filter.name,
        value,
        values: ring.slice(n - 1 - w, n - 2),
        aggregate: m.shift + m.sum / w,
        threshold,
        direction,
        zscore: z,
      };
    },
  };
}
