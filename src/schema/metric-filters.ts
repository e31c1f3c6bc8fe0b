import { z } from 'zod';
import { caselessEnum } from './caseless.js';
import { finiteNumber, labelSchema, windowSchema } from './names.js';
import { optional, strictObject } from './strict.js';
import { tagged } from './tagged.js';

export type Aggregation = 'min' | 'max' | 'mean' | 'sum';
export type Comparison = '>' | '>=' | '<' | '<=' | '==' | '!=';
/** The directions a change or z-score filter takes (W&B's three). */
const CHANGE_DIRECTIONS = ['increase', 'decrease', 'any'] as const;
export type ChangeDirection = (typeof CHANGE_DIRECTIONS)[number];
/** A change filter's direction: besides the three, `flat` fires when `|d| < amount` (a plateau). */
export type ChangeFilterDirection = ChangeDirection | 'flat';
export type ChangeType = 'relative' | 'absolute';

/** `agg(last window values) cmp threshold`; with no `agg` the latest value is compared (window 1). */
export type MetricThresholdFilter = {
  readonly type: 'MetricThresholdFilter';
  readonly name: string;
  readonly window: number;
  readonly agg?: Aggregation;
  readonly cmp: Comparison;
  readonly threshold: number;
};

/** `agg(current window)` against `agg(prior window)`, the `priorWindow` values logged just before the current ones. */
export type MetricChangeFilter = {
  readonly type: 'MetricChangeFilter';
  readonly name: string;
  readonly agg: Aggregation;
  readonly currentWindow: number;
  readonly priorWindow: number;
  readonly changeType: ChangeType;
  readonly direction: ChangeFilterDirection;
  readonly amount: number;
};

/** The latest value's z-score against the `window` values logged before it. */
export type MetricZScoreFilter = {
  readonly type: 'MetricZScoreFilter';
  readonly name: string;
  readonly window: number;
  readonly threshold: number;
  readonly direction: ChangeDirection;
};

/** Fires when the metric logs NaN, +Infinity or -Infinity. */
export type MetricNonFiniteFilter = { readonly type: 'MetricNonFiniteFilter'; readonly name: string };

export type MetricFilter =
  | MetricThresholdFilter
  | MetricChangeFilter
  | MetricZScoreFilter
  | MetricNonFiniteFilter;

const AGG_ALIASES: Readonly<Record<string, Aggregation>> = {
  min: 'min',
  max: 'max',
  mean: 'mean',
  average: 'mean',
  avg: 'mean',
  sum: 'sum',
};
const CMP_ALIASES: Readonly<Record<string, Comparison>> = {
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
  '==': '==',
  '!=': '!=',
  $gt: '>',
  $gte: '>=',
  $lt: '<',
  $lte: '<=',
  $eq: '==',
  $ne: '!=',
};
const DIRECTIONS: Readonly<Record<string, ChangeDirection>> = Object.fromEntries(
  CHANGE_DIRECTIONS.map((d) => [d, d]),
);

// W&B's spellings (AVERAGE, RELATIVE, INCREASE, …) in any case, as its SDK reads them.
const aggSchema = caselessEnum(AGG_ALIASES, 'min, max, mean (average, avg) or sum');
const cmpSchema = z
  .enum(Object.keys(CMP_ALIASES) as [string, ...string[]])
  .transform((c) => CMP_ALIASES[c] as Comparison);
const directionSchema = caselessEnum(DIRECTIONS, 'increase, decrease or any');
const changeDirectionSchema = caselessEnum<ChangeFilterDirection>(
  { ...DIRECTIONS, flat: 'flat' },
  'increase, decrease, any or flat',
);
const changeTypeSchema = caselessEnum<ChangeType>(
  { relative: 'relative', absolute: 'absolute' },
  'relative or absolute',
);
const metricName = labelSchema;
const type = <T extends string>(tag: T) => z.literal(tag).optional();

export const metricThresholdFilterSchema = strictObject('MetricThresholdFilter', {
  type: type('MetricThresholdFilter'),
  name: metricName,
  window: optional(windowSchema),
  agg: optional(aggSchema),
  cmp: cmpSchema,
  threshold: finiteNumber,
})
  .superRefine((f, ctx) => {
    if (f.agg === undefined && f.window !== undefined && f.window !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['window'],
        message: 'a window of more than 1 value needs an agg',
        input: f.window,
      });
    }
  })
  .transform((f): MetricThresholdFilter => {
    const base = { type: 'MetricThresholdFilter', name: f.name, window: f.window ?? 1 } as const;
    return f.agg === undefined
      ? { ...base, cmp: f.cmp, threshold: f.threshold }
      : { ...base, agg: f.agg, cmp: f.cmp, threshold: f.threshold };
  });

export const metricChangeFilterSchema = strictObject('MetricChangeFilter', {
  type: type('MetricChangeFilter'),
  name: metricName,
  agg: optional(aggSchema),
  currentWindow: optional(windowSchema),
  priorWindow: optional(windowSchema),
  changeType: optional(changeTypeSchema),
  direction: changeDirectionSchema,
  amount: finiteNumber.refine((a) => a > 0, { message: 'must be > 0' }),
}).transform(
  (f): MetricChangeFilter => ({
    type: 'MetricChangeFilter',
    name: f.name,
    agg: f.agg ?? 'mean',
    currentWindow: f.currentWindow ?? 10,
    priorWindow: f.priorWindow ?? 50,
    changeType: f.changeType ?? 'relative',
    direction: f.direction,
    amount: f.amount,
  }),
);

export const metricZScoreFilterSchema = strictObject('MetricZScoreFilter', {
  type: type('MetricZScoreFilter'),
  name: metricName,
  window: optional(windowSchema.min(2)),
  threshold: optional(finiteNumber.refine((t) => t > 0, { message: 'must be > 0' })),
  direction: optional(directionSchema),
}).transform(
  (f): MetricZScoreFilter => ({
    type: 'MetricZScoreFilter',
    name: f.name,
    window: f.window ?? 30,
    threshold: f.threshold ?? 3,
    direction: f.direction ?? 'any',
  }),
);

export const metricNonFiniteFilterSchema = strictObject('MetricNonFiniteFilter', {
  type: type('MetricNonFiniteFilter'),
  name: metricName,
}).transform((f): MetricNonFiniteFilter => ({ type: 'MetricNonFiniteFilter', name: f.name }));

/** A metric filter named by its `type` tag. */
export const metricFilterSchema = tagged<MetricFilter>({
  MetricThresholdFilter: metricThresholdFilterSchema,
  MetricChangeFilter: metricChangeFilterSchema,
  MetricZScoreFilter: metricZScoreFilterSchema,
  MetricNonFiniteFilter: metricNonFiniteFilterSchema,
});
