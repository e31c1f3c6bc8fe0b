import type { EngineState } from './engine-state.js';

/** Where an engine keeps its snapshots. `load` is synchronous so `createEngine` can restore before its first event. */
export interface StateStore {
  /** The last saved state, or undefined when there is none yet. Throws on a corrupt or unreadable store. */
  load(): unknown;
  save(state: EngineState): Promise<void>;
}
