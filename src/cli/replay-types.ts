import type { Automation, EngineStats, Firing, NewAutomation, Suppressed } from '../index.js';
import type { ConfiguredIntegration } from './load-definitions.js';
import type { Progress } from './progress.js';
import type { EventSource, ReadError } from './read-events.js';
import type { RunCount } from './run-counter.js';

export type ProblemKind = 'not_json' | 'rejected' | 'duplicate' | 'stale';

/** Something wrong with one line of the events: reported with its line number; the replay goes on. */
export type Problem = { readonly line: number; readonly kind: ProblemKind; readonly message: string };

/** Sees the replay as it goes: each accepted event, then what it fired and what the cooldown held back. */
export interface ReplayObserver {
  /**
   * The automations as saved, before the first event. Called again, still before any event, when a replay on
   * threads starts over on one thread (its automations saved anew): what an earlier call gave is then replaced.
   */
  start?(automations: readonly Automation[]): void;
  event?(event: unknown, line: number): void;
  suppressed?(suppressed: Suppressed): void;
  firing?(firing: Firing): void;
}

export interface ReplayOptions {
  readonly automations: readonly NewAutomation[];
  /** Really send, through these integrations; absent: every integration is a CountingSink. */
  readonly deliver?: Readonly<Record<string, ConfiguredIntegration>>;
  /** Only events at or after this time (epoch ms). */
  readonly from?: number;
  /** Only events before this time (epoch ms). */
  readonly to?: number;
  /** How many firings the result keeps, the first ones (the table and the report need them); default all. */
  readonly keepFirings?: number;
  /** Kept firings drop their event's `data.metrics` (the table and JSON outputs read none of them). */
  readonly slimFirings?: boolean;
  readonly observers?: readonly ReplayObserver[];
  readonly onProblem?: (problem: Problem) => void;
  /** The progress bar, made once the source is open (it needs the file's size). */
  readonly progress?: (source: EventSource) => Progress;
  /** How many problems the result keeps (all are counted). @default 1000 */
  readonly problemLimit?: number;
  /** The engine's partitions (SEMANTICS §9): seen event ids are kept per partition. @default 1 */
  readonly partitions?: number;
  /**
   * How many firings the observers' `firing` is given (the first ones), when no observer watches events: a replay on
   * threads keeps that many and hands them over, in order, once the shares are merged. @default all
   */
  readonly observedFirings?: number;
  /** Keep the line of each firing and of each automation's first firing for a run: a thread's share needs them. */
  readonly trackLines?: boolean;
}

export type ReplayCounts = {
  /** Lines (or array elements) read, bad ones included; blank lines not counted. */
  read: number;
  /** Not JSON: skipped. */
  notJson: number;
  /** Refused by the engine's validation: skipped. */
  rejected: number;
  /** Same source and id as an earlier event: ignored. */
  duplicates: number;
  /** Metric values whose step was not after the last one: dropped. */
  stale: number;
  /** Outside `--from`/`--to`: skipped. */
  outOfRange: number;
  accepted: number;
};

/** Firings of one automation: first and last event time, and the runs it fired for (key → name). */
export type AutomationTally = { first?: number; last?: number; readonly runs: Map<string, string> };

export type Deliveries =
  | { readonly mode: 'recorded'; readonly byIntegration: Readonly<Record<string, number>> }
  | { readonly mode: 'sent'; readonly byStatus: Readonly<Record<string, number>> };

export interface ReplayResult {
  readonly source: string;
  readonly automations: readonly Automation[];
  /** The first `keepFirings` firings. */
  readonly firings: readonly Firing[];
  /** Firings in all. */
  readonly fired: number;
  readonly tallies: ReadonlyMap<string, AutomationTally>;
  readonly stats: EngineStats;
  readonly counts: ReplayCounts;
  /** Distinct runs (entity, project, run id) among the events replayed. */
  readonly runs: RunCount;
  readonly problems: readonly Problem[];
  /** Event time of the first and last event replayed. */
  readonly first?: number;
  readonly last?: number;
  readonly deliveries: Deliveries;
  /** The events stream broke here; the result covers the events before it. */
  readonly readError?: ReadError;
}
