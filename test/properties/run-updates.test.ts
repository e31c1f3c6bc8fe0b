import { it } from 'vitest';
import { anyFilter } from '../arbitraries/commands.js';
import { assertEngineMatchesModel } from './engine-vs-model.js';

it('run filters are asked first: windows hold only values logged while the filter admitted the run, as names and users change mid-stream (run.updated)', () => {
  assertEngineMatchesModel(anyFilter, { runFilters: true, runUpdates: true });
});
