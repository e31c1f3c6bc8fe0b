import type { MetricFilter } from '../schema/metric-filters.js';
import { compileChange } from './change.js';
import type { CompiledMetricFilter } from './compiled-metric-filter.js';
import { compileNonFinite } from './non-finite.js';
import { compileThreshold } from './threshold.js';
import { compileZScore } from './zscore.js';

export function compileMetricFilter(filter: MetricFilter): CompiledMetricFilter {
  switch (filter.type) {
    case 'MetricThresholdFilter':
      return compileThreshold(filter);
    case 'MetricChangeFilter':
      return compileChange(filter);
    case 'MetricZScoreFilter':
      return compileZScore(filter);
    case 'MetricNonFiniteFilter':
      return compileNonFinite(filter);
  }
}
