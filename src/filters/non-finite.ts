import type { MetricNonFiniteFilter } from '../schema/metric-filters.js';
import type { CompiledMetricFilter } from './compiled-metric-filter.js';
import type { Evidence } from './evidence.js';

export function compileNonFinite(filter: MetricNonFiniteFilter): CompiledMetricFilter {
  return {
    definition: filter,
    metric: filter.name,
    needs: [],
    history: 0,
    nonFinite: true,
    matches: () => true,
    evidence(_series, _aggregates, value: number): Evidence {
      return { metric: filter.name, value, values: [value], aggregate: value };
    },
  };
}
