import { parseInput } from '../definitions/parse.js';
import { type EngineState, engineStateSchema } from './engine-state.js';
import type { StateStore } from './state-store.js';

/** The store's last checkpoint, validated whole (a DefinitionError names what is wrong); undefined if none yet. */
export function loadState(store: StateStore): EngineState | undefined {
  const raw = store.load();
  return raw === undefined ? undefined : (parseInput(engineStateSchema, raw, 'stored state') as EngineState);
}
