import type { MetricNonFiniteFilter } from '../schema/metric-filters.js';
import type { MetricSeries } from '../windows/metric-series.js';
import type { CompiledMetricFilter } from './compiled-metric-filter.js';
import type { Evidence } from './evidence.js';

/** Every NaN or ±Infinity matches; it reads no window. */
class NonFiniteFilter implements CompiledMetricFilter {
  readonly definition: MetricNonFiniteFilter;
  readonly metric: string;
  readonly needs = [];
  readonly history = 0;
  readonly nonFinite = true;

  constructor(filter: MetricNonFiniteFilter) {
    this.definition = filter;
    this.metric = filter.name;
  }

  matches(): boolean {
    return true;
  }

  evidence(_series: MetricSeries, _a: number, _b: number, value: number): Evidence {
    return { metric: this.metric, value, values: [value], aggregate: value };
  }
}

export function compileNonFinite(filter: MetricNonFiniteFilter): CompiledMetricFilter {
  return new NonFiniteFilter(filter);
}
