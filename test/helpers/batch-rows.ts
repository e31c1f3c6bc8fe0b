import fc from 'fast-check';
import { METRICS } from '../arbitraries/commands.js';

// The parts of generated rows that the batch properties share: a metrics row's values, step and metrics, and a
// run.state row.

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

/** A run.state row for one of `runs` runs. */
export function stateRow(runs: number) {
  return fc.record({
    kind: fc.constant('state' as const),
    run: fc.nat(runs - 1),
    state: fc.constantFrom('running', 'finished', 'failed') as fc.Arbitrary<
      'running' | 'finished' | 'failed'
    >,
  });
}
