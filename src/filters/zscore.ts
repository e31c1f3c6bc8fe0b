import type { ChangeDirection, MetricZScoreFilter } from '../schema/metric-filters.js';
import type { AggregateSpec } from '../windows/aggregate.js';
import type { MetricSeries } from '../windows/metric-series.js';
import { changeMatches } from './change.js';
import type { CompiledMetricFilter } from './compiled-metric-filter.js';
import type { Evidence } from './evidence.js';

/**
 * z = (x − μ) / σ over the baseline of `w` values before x, computed as (w·(x−K) − S) / √(w·Q − S²) from the
 * shifted sums S = Σ(v−K), Q = Σ(v−K)²: the same number, with one division and no cancellation near K.
 */
/** A class, not a closure per automation: one `matches` for all, so the hot call site stays monomorphic. */
class ZScoreFilter implements CompiledMetricFilter {
  readonly definition: MetricZScoreFilter;
  readonly metric: string;
  readonly needs: readonly AggregateSpec[];
  readonly history: number;
  readonly nonFinite = false;
  readonly #window: number;
  readonly #threshold: number;
  readonly #direction: ChangeDirection;

  constructor(filter: MetricZScoreFilter) {
    const w = filter.window;
    this.definition = filter;
    this.metric = filter.name;
    this.needs = [{ kind: 'moments', size: w, lag: 1 }];
    this.history = w + 1;
    this.#window = w;
    this.#threshold = filter.threshold;
    this.#direction = filter.direction;
  }

  /** NaN when the baseline is flat and x equals it: no deviation, so nothing to compare. */
  #zscore(series: MetricSeries, m: number, value: number): number {
    const w = this.#window;
    const sum = series.shiftedSum(m);
    const numerator = w * (value - series.shift(m)) - sum;
    const radicand = w * series.shiftedSquares(m) - sum * sum;
    if (radicand > 0) return numerator / Math.sqrt(radicand);
    if (numerator === 0) return Number.NaN;
    return numerator > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  matches(series: MetricSeries, a: number, _b: number, value: number): boolean {
    const z = this.#zscore(series, a, value);
    return !Number.isNaN(z) && changeMatches(z, this.#direction, this.#threshold);
  }

  evidence(series: MetricSeries, m: number, _b: number, value: number): Evidence {
    const w = this.#window;
    const n = series.count;
    return {
      metric: this.metric,
      value,
      values: series.slice(n - 1 - w, n - 2),
      aggregate: series.shift(m) + series.shiftedSum(m) / w,
      threshold: this.#threshold,
      direction: this.#direction,
      zscore: this.#zscore(series, m, value),
    };
  }
}

export function compileZScore(filter: MetricZScoreFilter): CompiledMetricFilter {
  return new ZScoreFilter(filter);
}
