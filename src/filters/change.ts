import type { ChangeDirection, MetricChangeFilter } from '../schema/metric-filters.js';
import type { MetricSeries } from '../state/metric-series.js';
import type { AggregateSlot } from '../windows/layout.js';
import { aggregateValue, kindFor } from './aggregate-value.js';
import type { CompiledMetricFilter } from './compiled-metric-filter.js';
import type { Evidence } from './evidence.js';

export function changeMatches(d: number, direction: ChangeDirection, amount: number): boolean {
  switch (direction) {
    case 'increase':
      return d >= amount;
    case 'decrease':
      return d <= -amount;
    case 'any':
      return Math.abs(d) >= amount;
  }
}

export function compileChange(filter: MetricChangeFilter): CompiledMetricFilter {
  const { agg, currentWindow: c, priorWindow: p, changeType, direction, amount } = filter;
  const kind = kindFor(agg);
  const changeOf = (a: number, b: number): number =>
    changeType === 'absolute' ? a - b : (a - b) / Math.abs(b);
  return {
    definition: filter,
    metric: filter.name,
    needs: [
      { kind, size: c, lag: 0 },
      { kind, size: p, lag: c },
    ],
    history: c + p,
    nonFinite: false,
    matches(series: MetricSeries, aggregates: readonly AggregateSlot[]): boolean {
      const a = aggregateValue(agg, series, aggregates[0], c);
      const b = aggregateValue(agg, series, aggregates[1], p);
      // A relative change from zero is undefined: nothing fires.
      if (changeType === 'relative' && b === 0) return false;
      return changeMatches(changeOf(a, b), direction, amount);
    },
    evidence(series: MetricSeries, aggregates: readonly AggregateSlot[], value: number): Evidence {
      const a = aggregateValue(agg, series, aggregates[0], c);
      const b = aggregateValue(agg, series, aggregates[1], p);
      const d = changeOf(a, b);
      const n = series.count;
      return {
        metric: filter.name,
        value,
        values: series.slice(n - c, n - 1),
        aggregate: a,
        agg,
        prior: { values: series.slice(n - c - p, n - c - 1), aggregate: b },
        change: d,
        changeType,
        direction,
        amount,
      };
    },
  };
}
