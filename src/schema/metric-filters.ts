import { z } from 'zod';
import { finiteNumber, labelSchema, windowSchema } from './names.js';
import { tagged } from './tagged.js';

export type Aggregation = 'min' | 'max' | 'mean' | 'sum';
export type Comparison = '>' | '>=' | '<' | '<=' | '==' | '!=';
export type ChangeDirection = 'increase' | 'decrease' | 'any';
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
  readonly direction: ChangeDirection;
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

const aggSchema = z
  .enum(Object.keys(AGG_ALIASES) as [string, ...string[]])
  .transform((a) => AGG_ALIASES[a] as Aggregation);
const cmpSchema = z
  .enum(Object.keys(CMP_ALIASES) as [string, ...string[]])
  .transform((c) => CMP_ALIASES[c] as Comparison);
const directionSchema = z.enum(['increase', 'decrease', 'any']);
const metricName = labelSchema;

export const metricThresholdFilterSchema = z
  .object({
    type: z.literal('MetricThresholdFilter').optional(),
    name: metricName,
    window: windowSchema.optional(),
    agg: aggSchema.nullish(),
    cmp: cmpSchema,
    threshold: finiteNumber,
  })
  .superRefine((f, ctx) => {
    if ((f.agg === undefined || f.agg === null) && f.window !== undefined && f.window !== 1) {
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
    return f.agg === undefined || f.agg === null
      ? { ...base, cmp: f.cmp, threshold: f.threshold }
      : { ...base, agg: f.agg, cmp: f.cmp, threshold: f.threshold };
  });

export const metricChangeFilterSchema = z
  .object({
    type: z.literal('MetricChangeFilter').optional(),
    name: metricName,
    agg: aggSchema.optional(),
    currentWindow: windowSchema.optional(),
    priorWindow: windowSchema.optional(),
    changeType: z.enum(['relative', 'absolute']).optional(),
    direction: directionSchema,
    amount: finiteNumber.refine((a) => a > 0, { message: 'must be > 0' }),
  })
  .transform(
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

export const metricZScoreFilterSchema = z
  .object({
    type: z.literal('MetricZScoreFilter').optional(),
    name: metricName,
    window: windowSchema.min(2).optional(),
    threshold: finiteNumber.refine((t) => t > 0, { message: 'must be > 0' }).optional(),
    direction: directionSchema.optional(),
  })
  .transform(
    (f): MetricZScoreFilter => ({
      type: 'MetricZScoreFilter',
      name: f.name,
      window: f.window ?? 30,
      threshold: f.threshold ?? 3,
      direction: f.direction ?? 'any',
    }),
  );

export const metricNonFiniteFilterSchema = z
  .object({ type: z.literal('MetricNonFiniteFilter').optional(), name: metricName })
  .transform((f): MetricNonFiniteFilter => ({ type: 'MetricNonFiniteFilter', name: f.name }));

/** A metric filter named by its `type` tag. */
export const metricFilterSchema = tagged<MetricFilter>({
  MetricThresholdFilter: metricThresholdFilterSchema,
  MetricChangeFilter: metricChangeFilterSchema,
  MetricZScoreFilter: metricZScoreFilterSchema,
  MetricNonFiniteFilter: metricNonFiniteFilterSchema,
});
