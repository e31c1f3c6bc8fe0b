import type { Aggregation, Comparison, MetricThresholdFilter } from '../schema/metric-filters.js';
import type { AggregateSpec } from '../windows/aggregate.js';
import type { MetricSeries } from '../windows/metric-series.js';
import { type ProbeTest, VALUE } from '../windows/probe.js';
import { aggregateValue, kindFor, probeAgg } from './aggregate-value.js';
import type { CompiledMetricFilter } from './compiled-metric-filter.js';
import type { Evidence } from './evidence.js';

/** Comparisons by number, so the per-value switch compares small integers, not strings. */
const OPS: readonly Comparison[] = ['>', '>=', '<', '<=', '==', '!='];

export function compare(x: number, op: number, threshold: number): boolean {
  switch (op) {
    case 0:
      return x > threshold;
    case 1:
      return x >= threshold;
    case 2:
      return x < threshold;
    case 3:
      return x <= threshold;
    case 4:
      return x === threshold;
    default:
      return x !== threshold;
  }
}

/** A class, not a closure per automation: one `matches` for all, so the hot call site stays monomorphic. */
class ThresholdFilter implements CompiledMetricFilter {
  readonly definition: MetricThresholdFilter;
  readonly metric: string;
  readonly needs: readonly AggregateSpec[];
  readonly history: number;
  readonly nonFinite = false;
  readonly test: ProbeTest;
  readonly #window: number;
  readonly #agg: Aggregation | undefined;
  readonly #cmp: Comparison;
  readonly #op: number;
  readonly #threshold: number;

  constructor(filter: MetricThresholdFilter) {
    const { window, agg } = filter;
    this.definition = filter;
    this.metric = filter.name;
    this.needs = agg === undefined ? [] : [{ kind: kindFor(agg), size: window, lag: 0 }];
    this.history = window;
    this.#window = window;
    this.#agg = agg;
    this.#cmp = filter.cmp;
    this.#op = OPS.indexOf(filter.cmp);
    this.#threshold = filter.threshold;
    const code = agg === undefined ? VALUE : probeAgg(agg);
    this.test = {
      probe: { code, agg: 0, size: window, prior: 0, abs: false },
      op: this.#op,
      threshold: filter.threshold,
    };
  }

  #value(series: MetricSeries, a: number, value: number): number {
    const agg = this.#agg;
    return agg === undefined ? value : aggregateValue(agg, series, a, this.#window);
  }

  matches(series: MetricSeries, a: number, _b: number, value: number): boolean {
    return compare(this.#value(series, a, value), this.#op, this.#threshold);
  }

  evidence(series: MetricSeries, a: number, _b: number, value: number): Evidence {
    const agg = this.#agg;
    const n = series.count;
    return {
      metric: this.metric,
      value,
      values: series.slice(n - this.#window, n - 1),
      aggregate: this.#value(series, a, value),
      ...(agg !== undefined && { agg }),
      cmp: this.#cmp,
      threshold: this.#threshold,
    };
  }
}

export function compileThreshold(filter: MetricThresholdFilter): CompiledMetricFilter {
  return new ThresholdFilter(filter);
}
