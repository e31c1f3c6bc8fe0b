import type { ChangeDirection, MetricZScoreFilter } from '../schema/metric-filters.js';
import type { AggregateSpec } from '../windows/aggregate.js';
import type { MetricSeries } from '../windows/metric-series.js';
import { type ProbeTest, ZSCORE } from '../windows/probe.js';
import { changeMatches } from './change.js';
import type { CompiledMetricFilter } from './compiled-metric-filter.js';
import type { Evidence } from './evidence.js';
import { directionTest } from './probe-value.js';
import { zscoreOf } from './zscore-of.js';

/** A class, not a closure per automation: one `matches` for all, so the hot call site stays monomorphic. */
class ZScoreFilter implements CompiledMetricFilter {
  readonly definition: MetricZScoreFilter;
  readonly metric: string;
  readonly needs: readonly AggregateSpec[];
  readonly history: number;
  readonly nonFinite = false;
  readonly test: ProbeTest;
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
    const { op, threshold, abs } = directionTest(filter.direction, filter.threshold);
    this.test = { probe: { code: ZSCORE, agg: 0, size: w, prior: 0, abs }, op, threshold };
  }

  #zscore(series: MetricSeries, m: number, value: number): number {
    return zscoreOf(series, m, this.#window, value);
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
