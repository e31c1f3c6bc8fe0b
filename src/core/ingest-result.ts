import type { Issue } from '../errors/issue.js';
import type { Firing } from './firing.js';
import type { Suppressed } from './suppressed.js';

/** What became of an event: applied (`accepted`), refused by validation, or ignored as already accepted. */
export type IngestStatus = 'accepted' | 'rejected' | 'duplicate';

/** One event's outcome, from `engine.apply` and `engine.applyBatch`. */
export type IngestResult = {
  readonly status: IngestStatus;
  /** The event's own issues: why it was rejected, or the out-of-order values an accepted row dropped. */
  readonly issues: readonly Issue[];
  /** What it fired, in order (as `ingest` returns them). */
  readonly firings: readonly Firing[];
  /** The matches the cooldown held back: counted, not fired. */
  readonly suppressed: readonly Suppressed[];
};
