import { z } from 'zod';
import { type MetricFilter, metricFilterSchema } from './metric-filters.js';
import { type RunFilter, runFilterSchema } from './run-filter.js';
import { type Scope, scopeSchema } from './scope.js';
import { tagged } from './tagged.js';

/** Fires on a run's metric values, as its filter says. Scope: an entity or a project. */
export type OnRunMetric = {
  readonly type: 'OnRunMetric';
  readonly scope: Scope;
  readonly filter: MetricFilter;
  readonly runFilter?: RunFilter;
};

export type TriggerDefinition = OnRunMetric;

/** Run events happen in projects: registry and collection scopes are refused. */
function runScope<T extends { scope: Scope }>(t: T, ctx: z.core.$RefinementCtx<T>): void {
  if (t.scope.type === 'registry' || t.scope.type === 'collection') {
    ctx.addIssue({
      code: 'custom',
      path: ['scope'],
      message: `run triggers take an entity or project scope, not a ${t.scope.type} scope`,
      input: t.scope,
      params: { code: 'scope_not_allowed' },
    });
  }
}

export const onRunMetricSchema = z
  .object({
    type: z.literal('OnRunMetric').optional(),
    scope: scopeSchema,
    filter: metricFilterSchema,
    runFilter: runFilterSchema.optional(),
  })
  .superRefine(runScope)
  .transform(
    (t): OnRunMetric => ({
      type: 'OnRunMetric',
      scope: t.scope,
      filter: t.filter,
      ...(t.runFilter !== undefined && Object.keys(t.runFilter).length > 0 && { runFilter: t.runFilter }),
    }),
  );

export const triggerSchema = tagged<TriggerDefinition>({ OnRunMetric: onRunMetricSchema });
