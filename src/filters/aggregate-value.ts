import type { Aggregation } from '../schema/metric-filters.js';
import type { Aggregate } from '../windows/aggregate.js';
import { TrailingExtreme } from '../windows/trailing-extreme.js';
import { TrailingSum } from '../windows/trailing-sum.js';
import type { ValueRing } from '../windows/value-ring.js';

/** The aggregate kind a window needs: mean is a sum divided by the window size. */
export function kindFor(agg: Aggregation): 'sum' | 'min' | 'max' {
  return agg === 'mean' ? 'sum' : agg;
}

export function aggregateValue(
  agg: Aggregation,
  aggregate: Aggregate | undefined,
  ring: ValueRing,
  size: number,
): number {
  if (aggregate instanceof TrailingSum) return agg === 'mean' ? aggregate.sum / size : aggregate.sum;
  if (aggregate instanceof TrailingExtreme) return ring.at(aggregate.index);
  return Number.NaN;
}
