import { Cron } from 'croner';
import { z } from 'zod';
import { labelSchema } from './names.js';
import { runScope } from './run-scope.js';
import { type Scope, scopeSchema } from './scope.js';
import { optional, strictObject } from './strict.js';

/**
 * Fires at each time of a 5-field cron (in `timezone`, on the engine clock) whose period saw a run of its scope
 * log a row, with a summary of those runs and `metrics` (§4.3). Scope: an entity or a project.
 */
export type OnSchedule = {
  readonly type: 'OnSchedule';
  readonly scope: Scope;
  readonly cron: string;
  readonly timezone: string;
  readonly metrics: readonly string[];
};

/** A summary names at most this many metrics: one column each, so a Slack table (20 columns) holds them. */
export const MAX_SUMMARY_METRICS = 10;

/** The cron times just after and just before a time (epoch ms), by croner: its parser and time zones, not ours. */
export type CompiledCron = {
  readonly next: (after: number) => number | undefined;
  readonly previous: (before: number) => number | undefined;
};

export function compileCron(cron: string, timezone: string): CompiledCron {
  const job = new Cron(cron, { timezone, paused: true });
  return {
    next: (after) => job.nextRun(new Date(after))?.getTime(),
    previous: (before) => job.previousRuns(1, new Date(before))[0]?.getTime(),
  };
}

/** Why croner refuses a cron or a zone, or undefined when it takes them. */
function cronProblem(cron: string, timezone: string): string | undefined {
  if (cron.trim().split(/\s+/).length !== 5)
    return 'expected 5 fields: minute hour day-of-month month day-of-week';
  try {
    compileCron(cron, timezone).next(0);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export const onScheduleSchema = strictObject('OnSchedule', {
  type: z.literal('OnSchedule').optional(),
  scope: scopeSchema,
  cron: z.string().min(1).max(255),
  timezone: optional(z.string().min(1).max(64)),
  metrics: optional(z.array(labelSchema).max(MAX_SUMMARY_METRICS)),
})
  .superRefine(runScope)
  .superRefine((t, ctx) => {
    const timezone = t.timezone ?? 'UTC';
    const problem = cronProblem(t.cron, timezone);
    if (problem === undefined) return;
    const zone = problem.includes('timezone') || problem.includes('time zone');
    ctx.addIssue({
      code: 'custom',
      path: [zone ? 'timezone' : 'cron'],
      message: zone ? `not a time zone croner knows: ${problem}` : `not a 5-field cron: ${problem}`,
      input: zone ? timezone : t.cron,
      params: { code: 'invalid_value' },
    });
  })
  .transform(
    (t): OnSchedule => ({
      type: 'OnSchedule',
      scope: t.scope,
      cron: t.cron.trim(),
      timezone: t.timezone ?? 'UTC',
      metrics: [...new Set(t.metrics ?? [])],
    }),
  );
