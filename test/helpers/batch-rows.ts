import fc from 'fast-check';
import { METRICS } from '../arbitraries/commands.js';

// The parts of a generated run.metrics row that the batch properties share: its values, its step, its metrics.

/** A metric value: mostly a small integer, now and then a non-finite spelling, null or Infinity. */
export const metricValue = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: -6, max: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom('NaN', '-inf', null, Number.POSITIVE_INFINITY) },
);

/** How a row's step relates to its run's last: none, the next one, the same again, or two back (stale). */
export type StepMode = 'none' | 'next' | 'same' | 'back';

/** The step a row of `run` gets by `mode`; `steps` keeps each run's highest step so far. */
export function nextStep(steps: Map<number, number>, run: number, mode: StepMode): number | undefined {
  const last = steps.get(run) ?? -1;
  const step =
    mode === 'none'
      ? undefined
      : mode === 'next'
        ? last + 1
        : mode === 'same'
          ? Math.max(last, 0)
          : Math.max(last - 2, 0);
  if (step !== undefined) steps.set(run, Math.max(last, step));
  return step;
}

/** The row's metrics object from (metric number, value) pairs; a later pair of one metric wins. */
export function rowMetrics(pairs: readonly (readonly [number, unknown])[]): Record<string, unknown> {
  const metrics: Record<string, unknown> = {};
  for (const [m, v] of pairs) metrics[METRICS[m] as string] = v;
  return metrics;
}
