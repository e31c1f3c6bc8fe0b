import { it } from 'vitest';
import { nonFiniteFilter } from '../arbitraries/commands.js';
import { assertEngineMatchesModel } from './engine-vs-model.js';

it('non-finite filters fire on NaN and ±Infinity exactly as the reference model says', () => {
  assertEngineMatchesModel(nonFiniteFilter, { runFilters: false });
});
