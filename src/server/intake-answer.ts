import { z } from 'zod';
import type { IngestResult, Issue } from '../index.js';
import { type Problem, problem } from './problem.js';

/** What an intake route answers for one event. */
export const eventAnswerSchema = z.object({
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  /** The ids of the firings it caused (deterministic: the same event fires the same ids). */
  firings: z.array(z.string()),
  /** Matches the cooldown held back. */
  suppressed: z.number().int(),
});
export const intakeAnswerSchema = z.object({ results: z.array(eventAnswerSchema) });
export type EventAnswer = z.output<typeof eventAnswerSchema>;

export function answerOf(result: IngestResult): EventAnswer {
  return {
    status: result.status,
    firings: result.firings.map((f) => f.id),
    suppressed: result.suppressed.length,
  };
}

/**
 * A rejected event makes the whole answer a 400 naming its issues (paths start at its index in a batch); the
 * other events of a batch were applied as their `results` say, so sending the batch again is safe.
 */
export function rejectionOf(results: readonly IngestResult[], batch: boolean): Problem | undefined {
  const issues: Issue[] = [];
  results.forEach((r, i) => {
    if (r.status !== 'rejected') return;
    for (const x of r.issues) issues.push(batch ? { ...x, path: [i, ...x.path] } : x);
  });
  if (!results.some((r) => r.status === 'rejected')) return undefined;
  return problem(400, 'rejected-event', batch ? 'Events were rejected' : 'The event was rejected', {
    issues,
    results: results.map(answerOf),
  });
}
