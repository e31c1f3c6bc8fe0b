import type { Aggregate, AggregateSpec, AggregateState } from './aggregate.js';
import { TrailingExtreme } from './trailing-extreme.js';
import { TrailingMoments } from './trailing-moments.js';
import { TrailingSum } from './trailing-sum.js';

export function createAggregate(
  spec: AggregateSpec,
  start: number,
  numbers: readonly number[] = [],
): Aggregate {
  switch (spec.kind) {
    case 'sum':
      return new TrailingSum(spec, start, numbers);
    case 'min':
    case 'max':
      return new TrailingExtreme(spec, start, numbers);
    case 'moments':
      return new TrailingMoments(spec, start, numbers);
  }
}

/** An aggregate back from its saved state. */
export function loadAggregate(state: AggregateState): Aggregate {
  const { kind, size, lag } = state;
  return createAggregate({ kind, size, lag }, state.start, state.numbers);
}
