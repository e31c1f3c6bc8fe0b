import { z } from 'zod';
import { labelSchema } from './names.js';
import { type RunFilter, runFilterSchema } from './run-filter.js';
import { runScope } from './run-scope.js';
import { type Scope, scopeSchema } from './scope.js';
import { optional, strictObject } from './strict.js';

/**
 * Fires when a run that is running (or logging with no end state) logs nothing for `forMs` on the engine clock
 * (§4.2); with `metric`, when it logs no value of that metric. Scope: an entity or a project.
 */
export type OnRunStalled = {
  readonly type: 'OnRunStalled';
  readonly scope: Scope;
  readonly forMs: number;
  readonly metric?: string;
  readonly runFilter?: RunFilter;
};

/** At least a minute: a stall is silence, not jitter between rows. */
export const MIN_STALL_MS = 60_000;

export const onRunStalledSchema = strictObject('OnRunStalled', {
  type: z.literal('OnRunStalled').optional(),
  scope: scopeSchema,
  forMs: z
    .number()
    .int()
    .min(MIN_STALL_MS)
    .max(366 * 24 * 3600_000),
  metric: optional(labelSchema),
  runFilter: optional(runFilterSchema),
})
  .superRefine(runScope)
  .transform(
    (t): OnRunStalled => ({
      type: 'OnRunStalled',
      scope: t.scope,
      forMs: t.forMs,
      ...(t.metric !== undefined && { metric: t.metric }),
      ...(t.runFilter !== undefined && Object.keys(t.runFilter).length > 0 && { runFilter: t.runFilter }),
    }),
  );
