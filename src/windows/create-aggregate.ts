import type { Aggregate, AggregateSpec } from './aggregate.js';
import { TrailingExtreme } from './trailing-extreme.js';
import { TrailingMoments } from './trailing-moments.js';
import { TrailingSum } from './trailing-sum.js';

export function createAggregate(spec: AggregateSpec, start: number): Aggregate {
  switch (spec.kind) {
    case 'sum':
      return new TrailingSum(spec, start);
    case 'min':
    case 'max':
      return new TrailingExtreme(spec, start);
    case 'moments':
      return new TrailingMoments(spec, start);
  }
}
