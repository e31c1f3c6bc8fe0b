import type { Firing } from '../core/firing.js';
import type { IngestResult, IngestStatus } from '../core/ingest-result.js';
import type { Outcome } from '../core/partitions.js';
import type { Suppressed } from '../core/suppressed.js';
import type { Issue } from '../errors/issue.js';

/** One event's issues and held-back matches, as they are reported. */
export type Gathered = { readonly issues: Issue[]; readonly suppressed: Suppressed[] };

/**
 * Gathers the issues and held-back matches of the event being applied, for `apply`: the core reports them as it
 * goes, and while no outcome is asked for (`ingest`), nothing is gathered and nothing is built.
 */
export class Outcomes {
  #open: Gathered | undefined;

  /** Whether an outcome is being gathered now (`apply`). */
  get open(): boolean {
    return this.#open !== undefined;
  }

  issue(i: Issue): void {
    this.#open?.issues.push(i);
  }

  suppressed(s: Suppressed): void {
    this.#open?.suppressed.push(s);
  }

  /**
   * Gather into `into` from now on, or stop (undefined); returns where it gathered before. A grouped `applyBatch`
   * points it at each event in turn as the batch's deferral hands on what the event reported and held back, and
   * gives it back when done (a listener may have called it while another event was gathered).
   */
  gatherInto(into: Gathered | undefined): Gathered | undefined {
    const before = this.#open;
    this.#open = into;
    return before;
  }

  /** Run one event through the core and say what became of it. */
  of(apply: () => Outcome): IngestResult {
    const open: Gathered = { issues: [], suppressed: [] };
    // A listener may apply an event while another is gathered: that one gathers on once this one is done.
    const outer = this.#open;
    this.#open = open;
    let outcome: Outcome;
    try {
      outcome = apply();
    } finally {
      this.#open = outer;
    }
    return ingestResult(outcome.status, open, outcome.firings);
  }
}

const NOTHING: readonly never[] = Object.freeze([]);

/** An event's frozen result: what was gathered for it (nothing, if undefined) and what it fired. */
export function ingestResult(
  status: IngestStatus,
  gathered: Gathered | undefined,
  firings: readonly Firing[],
): IngestResult {
  return Object.freeze({
    status,
    issues: gathered === undefined ? NOTHING : Object.freeze(gathered.issues),
    firings,
    suppressed: gathered === undefined ? NOTHING : Object.freeze(gathered.suppressed),
  });
}
