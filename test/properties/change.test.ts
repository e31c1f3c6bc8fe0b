import { it } from 'vitest';
import { changeFilter } from '../arbitraries/commands.js';
import { assertEngineMatchesModel } from './engine-vs-model.js';

it('change filters (current vs prior window, relative and absolute) agree with the reference model', () => {
  assertEngineMatchesModel(changeFilter, { runFilters: false });
});
