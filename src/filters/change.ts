import type { ChangeDirection, MetricChangeFilter } from '../schema/metric-filters.js';
import type { Aggregate } from '../windows/aggregate.js';
import type { ValueRing } from '../windows/value-ring.js';
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
  return {
    definition: filter,
    metric: filter.name,
    needs: [
      { kind, size: c, lag: 0 },
      { kind, size: p, lag: c },
    ],
    history: c + p,
    nonFinite: false,
    evaluate(ring: ValueRing, aggregates: readonly Aggregate[], value: number): Evidence | undefined {
      const a = aggregateValue(agg, aggregates[0], ring, c);
      const b = aggregateValue(agg, aggregates[1], ring, p);
      // A relative change from zero is undefined: nothing fires.
      if (changeType === 'relative' && b === 0) return undefined;
      const d = changeType === 'absolute' ? a - b : (a - b) / Math.abs(b);
      if (!changeMatches(d, direction, amount)) return undefined;
      const n = ring.count;
      return {
        metric: filter.name,
        value,
        values: ring.slice(n - c, n - 1),
        aggregate: a,
        agg,
        prior: { values: ring.slice(n - c - p, n - c - 1), aggregate: b },
        change: d,
        changeType,
        direction,
        amount,
      };
    },
  };
}
