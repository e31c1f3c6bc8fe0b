import { it } from 'vitest';
import { anyFilter } from '../arbitraries/commands.js';
import { assertEngineMatchesModel } from './engine-vs-model.js';

it('run filters (user exact, runName RE2 unanchored) gate firings as the reference model says', () => {
  assertEngineMatchesModel(anyFilter, { runFilters: true });
});
