import { z } from 'zod';

const count = z.number().int().min(0);

/** What a partition has seen and done, as a snapshot keeps it; `engine.stats()` reports the sums. */
export const countersSchema = z.object({
  /** Events offered to ingest. */
  received: count,
  accepted: count,
  /** Refused by validation, each reported with its issues. */
  rejected: count,
  /** Ignored because their (source, id) was already accepted. */
  duplicates: count,
  /** Values dropped because their step was not after the series' last step. */
  stale: count,
  firings: count,
  /** Matches not fired because the automation's cooldown for that run was running. */
  suppressed: count,
  /** Runs and collection versions released to bound memory (absent in the oldest snapshots: 0). */
  evictions: count.default(0),
});

/** What the core has seen and done; `engine.stats()` reports these. */
export type Counters = z.output<typeof countersSchema>;

export function newCounters(): Counters {
  return {
    received: 0,
    accepted: 0,
    rejected: 0,
    duplicates: 0,
    stale: 0,
    firings: 0,
    suppressed: 0,
    evictions: 0,
  };
}
