import type { AnyCase } from '../schema/caseless.js';
import {
  type ChangeDirection,
  type MetricChangeFilter as ChangeFilter,
  type ChangeFilterDirection,
  type ChangeType,
  metricChangeFilterSchema,
  metricNonFiniteFilterSchema,
  metricThresholdFilterSchema,
  metricZScoreFilterSchema,
  type MetricNonFiniteFilter as NonFiniteFilter,
  type MetricThresholdFilter as ThresholdFilter,
  type MetricZScoreFilter as ZScoreFilter,
} from '../schema/metric-filters.js';
import { parseDefinition } from './parse.js';

type Input<T> = Omit<T, 'type'> & { readonly type?: never };
/** Our names and W&B's (`AVERAGE`, `MIN`, `MAX`), in any case. */
type AggInput = AnyCase<'min' | 'max' | 'mean' | 'average' | 'avg' | 'sum'>;
type DirectionInput = AnyCase<ChangeDirection>;
type ThresholdInput = Omit<Input<ThresholdFilter>, 'window' | 'agg' | 'cmp'> & {
  readonly window?: number;
  readonly agg?: AggInput | null;
  readonly cmp: ThresholdFilter['cmp'] | '$gt' | '$gte' | '$lt' | '$lte' | '$eq' | '$ne';
};
type ChangeInput = Pick<ChangeFilter, 'name' | 'amount'> &
  Partial<Pick<ChangeFilter, 'currentWindow' | 'priorWindow'>> & {
    readonly agg?: AggInput;
    readonly changeType?: AnyCase<ChangeType>;
    readonly direction: AnyCase<ChangeFilterDirection>;
  };
type ZScoreInput = Pick<ZScoreFilter, 'name'> &
  Partial<Pick<ZScoreFilter, 'window' | 'threshold'>> & { readonly direction?: DirectionInput };

/** `agg(last window values) cmp threshold`. Example: `{ name: 'accuracy', window: 5, agg: 'mean', cmp: '>', threshold: 0.6 }`. */
export function MetricThresholdFilter(input: ThresholdInput): ThresholdFilter {
  return parseDefinition(metricThresholdFilterSchema, input, 'MetricThresholdFilter');
}

/** Change between the current and prior windows. Example: `{ name: 'loss', direction: 'decrease', amount: 0.25 }`. */
export function MetricChangeFilter(input: ChangeInput): ChangeFilter {
  return parseDefinition(metricChangeFilterSchema, input, 'MetricChangeFilter');
}

/** The latest value's z-score against the `window` values before it. */
export function MetricZScoreFilter(input: ZScoreInput): ZScoreFilter {
  return parseDefinition(metricZScoreFilterSchema, input, 'MetricZScoreFilter');
}

/** Fires on NaN, +Infinity and -Infinity: a divergence alarm. */
export function MetricNonFiniteFilter(input: { readonly name: string }): NonFiniteFilter {
  return parseDefinition(metricNonFiniteFilterSchema, input, 'MetricNonFiniteFilter');
}

export type MetricThresholdFilter = ThresholdFilter;
export type MetricChangeFilter = ChangeFilter;
export type MetricZScoreFilter = ZScoreFilter;
export type MetricNonFiniteFilter = NonFiniteFilter;
