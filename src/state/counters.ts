/** What the core has seen and done; `engine.stats()` reports these. */
export type Counters = {
  /** Events offered to ingest. */
  received: number;
  accepted: number;
  /** Refused by validation, each reported with its issues. */
  rejected: number;
  /** Ignored because their (source, id) was already accepted. */
  duplicates: number;
  /** Values dropped because their step was not after the series' last step. */
  stale: number;
  firings: number;
  /** Matches not fired because the automation's cooldown for that run was running. */
  suppressed: number;
  /** Runs and collection versions released to bound memory. */
  evictions: number;
};

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
