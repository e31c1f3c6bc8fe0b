import { z } from 'zod';
import { type JsonObject, jsonObjectSchema } from './json-object.js';
import { labelSchema, nameSchema } from './names.js';

export const RUN_METRICS = 'run.metrics';
export const RUN_STATE = 'run.state';
export const RUN_UPDATED = 'run.updated';

export type RunState = 'pending' | 'running' | 'finished' | 'failed' | 'crashed' | 'killed';

/** The fields that name a run and say what it is, on every run event. */
export type RunIdentity = {
  readonly entity: string;
  readonly project: string;
  readonly runId: string;
  readonly runName?: string;
  readonly user?: string;
  /** What the run is (§3.5): the run keeps the latest of each it was given. */
  readonly tags?: readonly string[];
  readonly config?: JsonObject;
};

/** One history row of a run: each named metric gets one value. */
export type RunMetricsData = RunIdentity & {
  readonly step?: number;
  readonly metrics: { readonly [name: string]: number };
};

export type RunStateData = RunIdentity & { readonly state: RunState };

/** The run's name, user, tags or config changed: it fires no run trigger by itself. */
export type RunUpdatedData = RunIdentity;

/** At most this many metrics in one row. */
export const MAX_METRICS_PER_ROW = 10_000;

export const NON_FINITE: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  nan: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  inf: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
};

/** JSON cannot hold NaN or Infinity, so their usual spellings are accepted as text; `null` means "not logged". */
const metricValue = z.union([
  z.custom<number>((v) => typeof v === 'number', { message: 'expected a number' }),
  z.enum(Object.keys(NON_FINITE) as [string, ...string[]]).transform((s) => NON_FINITE[s] as number),
  z.null(),
]);

const identity = {
  entity: nameSchema,
  project: nameSchema,
  runId: labelSchema,
  runName: z.string().max(1024).optional(),
  user: labelSchema.optional(),
  tags: z.array(labelSchema).optional(),
  config: jsonObjectSchema.optional(),
};

function withIdentity<T extends object>(
  d: {
    entity: string;
    project: string;
    runId: string;
    runName?: string | undefined;
    user?: string | undefined;
    tags?: readonly string[] | undefined;
    config?: JsonObject | undefined;
  },
  rest: T,
): RunIdentity & T {
  return {
    entity: d.entity,
    project: d.project,
    runId: d.runId,
    ...(d.runName !== undefined && { runName: d.runName }),
    ...(d.user !== undefined && { user: d.user }),
    ...(d.tags !== undefined && { tags: d.tags }),
    ...(d.config !== undefined && { config: d.config }),
    ...rest,
  };
}

/**
 * The metrics of one row, read key by key into a prototype-free object, so that a metric named `__proto__`
 * or `constructor` is only a name (a plain record would drop or misplace it).
 */
const metricsSchema = z.unknown().transform((input, ctx): Record<string, number> => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected an object of metric values',
      input,
      params: { code: 'invalid_type' },
    });
    return z.NEVER;
  }
  const names = Object.keys(input);
  if (names.length > MAX_METRICS_PER_ROW) {
    ctx.addIssue({
      code: 'custom',
      message: `at most ${MAX_METRICS_PER_ROW} metrics in one row`,
      input: names.length,
      params: { code: 'too_big' },
    });
    return z.NEVER;
  }
  const metrics: Record<string, number> = Object.create(null);
  for (const name of names) {
    const raw: unknown = (input as Record<string, unknown>)[name];
    if (name.length === 0 || name.length > 255) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'a metric name has 1 to 255 characters',
        input: name,
        params: { code: 'invalid_value' },
      });
      continue;
    }
    const value = metricValue.safeParse(raw);
    if (!value.success) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'expected a number, null, or NaN/Infinity/-Infinity as text',
        input: raw,
        params: { code: 'invalid_type' },
      });
    } else if (value.data !== null) {
      metrics[name] = value.data;
    }
  }
  return metrics;
});

export const runMetricsDataSchema = z
  .object({ ...identity, step: z.number().int().min(0).optional(), metrics: metricsSchema })
  .transform(
    (d): RunMetricsData =>
      withIdentity(d, { ...(d.step !== undefined && { step: d.step }), metrics: d.metrics }),
  );

export const runStateDataSchema = z
  .object({ ...identity, state: z.enum(['pending', 'running', 'finished', 'failed', 'crashed', 'killed']) })
  .transform((d): RunStateData => withIdentity(d, { state: d.state }));

export const runUpdatedDataSchema = z.object(identity).transform((d): RunUpdatedData => withIdentity(d, {}));
