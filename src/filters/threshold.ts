import type { Comparison, MetricThresholdFilter } from '../schema/metric-filters.js';
import type { MetricSeries } from '../state/metric-series.js';
import type { AggregateSlot } from '../windows/layout.js';
import { aggregateValue, kindFor } from './aggregate-value.js';
import type { CompiledMetricFilter } from './compiled-metric-filter.js';
import type { Evidence } from './evidence.js';

export function compare(x: number, cmp: Comparison, threshold: number): boolean {
  switch (cmp) {
    case '>':
      return x > threshold;
    case '>=':
      return x >= threshold;
    case '<':
      return x < threshold;
    case '<=':
      return x <= threshold;
    case '==':
      return x === threshold;
    case '!=':
      return x !== threshold;
  }
}

export function compileThreshold(filter: MetricThresholdFilter): CompiledMetricFilter {
  const { window, agg, cmp, threshold } = filter;
  return {
    definition: filter,
    metric: filter.name,
    needs: agg === undefined ? [] : [{ kind: kindFor(agg), size: window, lag: 0 }],
    history: window,
    nonFinite: false,
    matches(series: MetricSeries, aggregates: readonly AggregateSlot[], value: number): boolean {
      const x = agg === undefined ? value : aggregateValue(agg, series, aggregates[0], window);
      return compare(x, cmp, threshold);
    },
    evidence(series: MetricSeries, aggregates: readonly AggregateSlot[], value: number): Evidence {
      const x = agg === undefined ? value : aggregateValue(agg, series, aggregates[0], window);
      return {
        metric: filter.name,
        value,
        values: series.slice(series.count - window, series.count - 1),
        aggregate: x,
        ...(agg !== undefined && { agg }),
        cmp,
        threshold,
      };
    },
  };
}
