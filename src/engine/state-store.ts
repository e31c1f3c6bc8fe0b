import type { EngineState } from './engine-state.js';

/**
 * Where an engine keeps its snapshots. `load` may be asynchronous (a database, object storage): open such a store
 * with `openEngine`. `createEngine` restores synchronously, so it reads `loadSync()` when the store has one
 * (FileStateStore does), else `load()`, and refuses a store whose `load()` returns a promise.
 */
export interface StateStore {
  /** The last saved state (or a promise of it), undefined when there is none yet. Throws or rejects on a corrupt store. */
  load(): unknown;
  /** The last saved state, read synchronously: lets `createEngine` restore from this store. */
  loadSync?(): unknown;
  save(state: EngineState): Promise<void>;
}
