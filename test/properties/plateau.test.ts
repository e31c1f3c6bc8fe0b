import { it } from 'vitest';
import { plateauFilter } from '../arbitraries/commands.js';
import { assertEngineMatchesModel } from './engine-vs-model.js';

it('plateaus (direction flat: |d| < amount, nothing when a relative change is from 0) agree with the reference model', () => {
  assertEngineMatchesModel(plateauFilter, { runFilters: false });
});
