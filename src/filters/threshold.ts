import type { Comparison, MetricThresholdFilter } from '../schema/metric-filters.js';
import type { Aggregate } from '../windows/aggregate.js';
import type { ValueRing } from '../windows/value-ring.js';
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
    evaluate(ring: ValueRing, aggregates: readonly Aggregate[], value: number): Evidence | undefined {
      const x = agg === undefined ? value : aggregateValue(agg, aggregates[0], ring, window);
      if (!compare(x, cmp, threshold)) return undefined;
      return {
        metric: filter.name,
        value,
        values: ring.slice(ring.count - window, ring.count - 1),
        aggregate: x,
        ...(agg !== undefined && { agg }),
        cmp,
        threshold,
      };
    },
  };
}
