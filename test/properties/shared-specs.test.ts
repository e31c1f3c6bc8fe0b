import fc from 'fast-check';
import { it } from 'vitest';
import type { MetricFilter } from '../../src/index.js';
import { assertEngineMatchesModel } from './engine-vs-model.js';

// Many automations on one metric from a few windows, differing in threshold, comparison and direction, so that
// they share means, extremes, changes and z-scores (and their orderings by threshold) on every series.
const threshold = fc.integer({ min: -8, max: 8 }).map((x) => x / 2);
const shared: fc.Arbitrary<MetricFilter> = fc.oneof(
  fc.record({
    type: fc.constant('MetricThresholdFilter' as const),
    name: fc.constant('loss'),
    window: fc.constant(1),
    cmp: fc.constantFrom('>', '>=', '<', '<=', '==', '!=') as fc.Arbitrary<
      '>' | '>=' | '<' | '<=' | '==' | '!='
    >,
    threshold,
  }),
  fc.record({
    type: fc.constant('MetricThresholdFilter' as const),
    name: fc.constant('loss'),
    window: fc.constantFrom(2, 3),
    agg: fc.constantFrom('mean', 'max') as fc.Arbitrary<'mean' | 'max'>,
    cmp: fc.constantFrom('>', '>=', '<', '<=', '==', '!=') as fc.Arbitrary<
      '>' | '>=' | '<' | '<=' | '==' | '!='
    >,
    threshold,
  }),
  fc.record({
    type: fc.constant('MetricChangeFilter' as const),
    name: fc.constant('loss'),
    agg: fc.constantFrom('mean', 'max') as fc.Arbitrary<'mean' | 'max'>,
    currentWindow: fc.constant(2),
    priorWindow: fc.constantFrom(1, 3),
    changeType: fc.constantFrom('relative', 'absolute') as fc.Arbitrary<'relative' | 'absolute'>,
    direction: fc.constantFrom('increase', 'decrease', 'any', 'flat') as fc.Arbitrary<
      'increase' | 'decrease' | 'any' | 'flat'
    >,
    amount: fc.constantFrom(0.25, 0.5, 1, 2),
  }),
  fc.record({
    type: fc.constant('MetricZScoreFilter' as const),
    name: fc.constant('loss'),
    window: fc.constant(3),
    threshold: fc.constantFrom(0.5, 1, 1.5, 2),
    direction: fc.constantFrom('increase', 'decrease', 'any') as fc.Arbitrary<
      'increase' | 'decrease' | 'any'
    >,
  }),
  fc.record({ type: fc.constant('MetricNonFiniteFilter' as const), name: fc.constant('loss') }),
);

it('many automations sharing specs (one metric, a few windows, many thresholds and directions) fire as the reference model says', () => {
  assertEngineMatchesModel(shared, { runFilters: true, saves: { min: 8, max: 30 } });
});
