import { it } from 'vitest';
import { thresholdFilter } from '../arbitraries/commands.js';
import { assertEngineMatchesModel } from './engine-vs-model.js';

it('threshold filters fire exactly when the reference model says, value by value', () => {
  assertEngineMatchesModel(thresholdFilter, { runFilters: false });
});
