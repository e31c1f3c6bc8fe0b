import { parseInput } from '../definitions/parse.js';
import { Engine } from './engine.js';
import { type EngineOptions, engineOptionsSchema } from './engine-options.js';
import { loadStateAsync } from './load-state.js';
import { restoreHandoff } from './restore-handoff.js';

/**
 * As `createEngine`, for a store that loads asynchronously (any store works): awaits `store.load()` and restores
 * from it unless `state` is given. Rejects with DefinitionError for bad options or a stored state that does not
 * validate, and with the store's own error when it cannot read.
 * @example const engine = await openEngine({ store: new FileStateStore('state.json'), integrations });
 */
export async function openEngine(options: EngineOptions = {}): Promise<Engine> {
  // The options are checked before the store is asked for anything.
  const opts = parseInput(engineOptionsSchema, options, 'engine options') as EngineOptions;
  const state =
    opts.state !== undefined || opts.store === undefined ? opts.state : await loadStateAsync(opts.store);
  const own: EngineOptions = { ...options };
  restoreHandoff.set(own, { state });
  return new Engine(own);
}
