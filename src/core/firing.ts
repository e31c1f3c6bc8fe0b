import { hash } from 'node:crypto';
import type { Evidence } from '../filters/evidence.js';
import type { ActionDefinition } from '../schema/actions.js';
import type { CloudEvent } from '../schema/cloud-event.js';
import type { RunState } from '../schema/run-events.js';
import type { ArtifactFacts } from '../state/artifact-change.js';
import type { CountedRun } from '../state/count-book.js';

/** One automation firing on one event, with the evidence that made it fire. */
export type Firing = {
  /** Deterministic: the same automation and the same triggering event give the same id, in any process. */
  readonly id: string;
  readonly automationId: string;
  readonly automationName: string;
  /** The event that made it fire. */
  readonly event: CloudEvent;
  readonly runId?: string;
  /** Event time, epoch ms. */
  readonly time: number;
  readonly evidence?: Evidence;
  /** Run state triggers: the change that fired. */
  readonly transition?: { readonly from?: RunState; readonly to: RunState };
  /** Count triggers (§4.1): the runs counted in the window when it fired. */
  readonly count?: CountEvidence;
  /** Stall triggers (§4.2): the run's last row, and how long it has been silent. */
  readonly stall?: StallEvidence;
  /** Schedules (§4.3): the runs active in the period that just ended, with their metrics. */
  readonly summary?: FiringSummary;
  /** Artifact and collection triggers: where, and what changed. */
  readonly artifact?: ArtifactFacts;
  readonly action: ActionDefinition;
  /** A digest (SEMANTICS §8): several firings of one automation delivered as one; the fields above are the first's. */
  readonly digest?: FiringDigest;
};

/** Why a count trigger fired: `atLeast` distinct runs of one project (or entity) within `withinMs`. */
export type CountEvidence = {
  readonly per: 'project' | 'entity';
  readonly entity: string;
  /** The project counted in; absent when counting per entity. */
  readonly project?: string;
  readonly atLeast: number;
  readonly withinMs: number;
  /** The runs counted, oldest change first (at most 1,000, the most recent). */
  readonly runs: readonly CountedRun[];
};

/** Why a stall trigger fired: nothing (or no `metric` value) logged since `lastTime`, for `silentMs`. */
export type StallEvidence = {
  readonly forMs: number;
  readonly metric?: string;
  /** Event time of the run's last row (or last `metric` value; or of its `running` state, before any row). */
  readonly lastTime: number;
  readonly lastStep?: number;
  /** `forMs`: the firing's time is `lastTime + forMs`. */
  readonly silentMs: number;
};

/** One run in a schedule's summary: who it is, its state now, and per metric its last, min and max in the period. */
export type SummaryRun = {
  readonly entity: string;
  readonly project: string;
  readonly runId: string;
  readonly runName?: string;
  readonly user?: string;
  readonly state?: RunState;
  /** Event time of its last row in the period. */
  readonly lastTime: number;
  readonly metrics: Readonly<
    Record<string, { readonly last: number; readonly min: number; readonly max: number }>
  >;
};

/** A schedule's summary of one period `(from, to]`: at most 1,000 runs, most recent first; `total` counts all. */
export type FiringSummary = {
  readonly cron: string;
  readonly timezone: string;
  /** The previous fire time (or when the schedule was saved); `to` is this fire time. */
  readonly from: number;
  readonly to: number;
  readonly metrics: readonly string[];
  readonly runs: readonly SummaryRun[];
  readonly total: number;
};

/** The firings a digest window collected: at most 100 listed, all counted. */
export type FiringDigest = {
  readonly windowMs: number;
  /** The first firing's event time: the window opened then. */
  readonly opens: number;
  /** When the engine clock closes it (`opens + windowMs`). */
  readonly closes: number;
  /** The firings, in arrival order: at most 100. */
  readonly firings: readonly Firing[];
  /** How many firings the window collected in all. */
  readonly count: number;
};

/** `fir_` + 32 hex digits of SHA-256 over (automation id, event source, event id). */
export function firingId(automationId: string, source: string, eventId: string): string {
  // One-shot hash(): no Hash object per firing, a third of createHash()'s time, the same digest.
  const digest = hash('sha256', `${automationId}\u0000${source}\u0000${eventId}`, 'hex');
  return `fir_${digest.slice(0, 32)}`;
}

export type { ArtifactFacts, CountedRun };
