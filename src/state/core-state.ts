import type { SavedCollection } from './collection-store.js';
import type { Counters } from './counters.js';
import type { SavedRun } from './run-record.js';

/** The core's state in a snapshot, beside the automations and pending deliveries. Maps are lists of pairs. */
export type CoreState = {
  readonly nextId: number;
  /** The revision of the definitions' last change (absent in snapshots from before revisions: 0). */
  readonly revision?: number;
  readonly runs: readonly SavedRun[];
  readonly collections: readonly SavedCollection[];
  readonly seen: readonly (readonly [string, number])[];
  readonly counters: Counters;
  readonly perAutomation: readonly (readonly [
    string,
    { readonly firings: number; readonly suppressed: number },
  ])[];
};
