import fc from 'fast-check';
import { it } from 'vitest';
import { commands, thresholdFilter } from '../arbitraries/commands.js';
import { NUM_RUNS, runAgainstModel } from './engine-vs-model.js';

it('the cooldown allows at most one firing per automation and run per cooldown, on event time', () => {
  // Always-true thresholds make every value a match, so the cooldown alone decides what fires.
  const alwaysTrue = thresholdFilter.map((f) =>
    f.type === 'MetricThresholdFilter' ? { ...f, cmp: '!=' as const, threshold: 1000 } : f,
  );
  fc.assert(
    fc.property(commands(alwaysTrue, { runFilters: false }), (list) => runAgainstModel(list)),
    { numRuns: NUM_RUNS },
  );
});
