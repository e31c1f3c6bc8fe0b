import type { MetricSeries } from '../windows/metric-series.js';

/**
 * z = (x − μ) / σ over the baseline of `w` values before x, from the moments aggregate at `m`, computed as
 * (w·(x−K) − S) / √(w·Q − S²) from the shifted sums S = Σ(v−K), Q = Σ(v−K)²: the same number, with one division
 * and no cancellation near K. NaN when the baseline is flat and x equals it: no deviation, nothing to compare.
 */
export function zscoreOf(series: MetricSeries, m: number, w: number, value: number): number {
  const sum = series.shiftedSum(m);
  const numerator = w * (value - series.shift(m)) - sum;
  const radicand = w * series.shiftedSquares(m) - sum * sum;
  if (radicand > 0) return numerator / Math.sqrt(radicand);
  if (numerator === 0) return Number.NaN;
  return numerator > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}
