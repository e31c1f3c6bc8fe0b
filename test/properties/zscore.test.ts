import { it } from 'vitest';
import { zscoreFilter } from '../arbitraries/commands.js';
import { assertEngineMatchesModel } from './engine-vs-model.js';

it('z-score filters agree with the reference model, including σ = 0', () => {
  assertEngineMatchesModel(zscoreFilter, { runFilters: false });
});
