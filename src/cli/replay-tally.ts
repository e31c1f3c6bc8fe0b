import type { Automation, Firing, IngestResult } from '../index.js';
import { describeIssue, runNameOf } from './describe.js';
import type {
  AutomationTally,
  Problem,
  ProblemKind,
  ReplayCounts,
  ReplayObserver,
  ReplayOptions,
} from './replay-types.js';
import { RunCounter } from './run-counter.js';
import { runKeyOf } from './run-key.js';

/** The firing without its event's metrics, which no output reads: a kept firing costs little, not a whole row. */
function slim(f: Firing): Firing {
  const data = f.event.data as { readonly metrics?: unknown } | undefined;
  if (typeof data !== 'object' || data === null || data.metrics === undefined) return f;
  const { metrics: _, ...rest } = data;
  return { ...f, event: { ...f.event, data: rest } };
}

/** Counts of nothing yet. */
export function noCounts(): ReplayCounts {
  return { read: 0, notJson: 0, rejected: 0, duplicates: 0, stale: 0, outOfRange: 0, accepted: 0 };
}

/** What a replay counts as it goes, from each event's outcome: no stream is scraped, no counter diffed. */
export class ReplayTally {
  readonly counts: ReplayCounts = noCounts();
  readonly problems: Problem[] = [];
  readonly firings: Firing[] = [];
  /** The line of each kept firing, when asked for (`trackLines`): a thread's share is merged by line. */
  readonly firingLines: number[] = [];
  /** The line of an automation's first firing for a run (key `automation id NUL run key`), when asked for. */
  readonly runLines = new Map<string, number>();
  readonly tallies: Map<string, AutomationTally>;
  readonly runs = new RunCounter();
  fired = 0;
  first: number | undefined;
  last: number | undefined;
  /** The line being replayed, for problems. */
  line = 0;
  readonly #options: ReplayOptions;
  readonly #observers: readonly ReplayObserver[];

  constructor(automations: readonly Automation[], options: ReplayOptions) {
    this.#options = options;
    this.#observers = options.observers ?? [];
    this.tallies = new Map(automations.map((a) => [a.id, { runs: new Map() }]));
  }

  problem(kind: ProblemKind, message: string): void {
    const p: Problem = { line: this.line, kind, message };
    if (this.problems.length < (this.#options.problemLimit ?? 1000)) this.problems.push(p);
    this.#options.onProblem?.(p);
  }

  /** Count one event's outcome; `time` is its event time, if known. Returns whether it fired a delivery. */
  outcome(event: unknown, result: IngestResult, time: number | undefined): boolean {
    for (const i of result.issues) {
      if (i.code !== 'out_of_order') continue;
      this.counts.stale += 1;
      this.problem('stale', describeIssue(i));
    }
    if (result.status === 'rejected') {
      this.counts.rejected += 1;
      this.problem('rejected', `rejected: ${result.issues.map((i) => describeIssue(i)).join('; ')}`);
      return false;
    }
    if (result.status === 'duplicate') {
      this.counts.duplicates += 1;
      const id = String((event as { readonly id?: unknown } | null)?.id ?? '?');
      this.problem('duplicate', `duplicate event ${id} (its source and id were seen before), ignored`);
      return false;
    }
    this.counts.accepted += 1;
    this.runs.addEvent(event);
    if (time !== undefined && Number.isFinite(time)) {
      this.first = this.first === undefined ? time : Math.min(this.first, time);
      this.last = this.last === undefined ? time : Math.max(this.last, time);
    }
    for (const o of this.#observers) o.event?.(event, this.line);
    for (const s of result.suppressed) for (const o of this.#observers) o.suppressed?.(s);
    let delivering = false;
    for (const f of result.firings) {
      this.#firing(f);
      if (f.action.type !== 'DoNothing') delivering = true;
    }
    return delivering;
  }

  /** A firing the engine clock made as the replay moved it (a stall): counted as an event's firings are. */
  timed(f: Firing): void {
    this.#firing(f);
  }

  #firing(f: Firing): void {
    const tally = this.tallies.get(f.automationId);
    if (tally !== undefined) {
      tally.first = tally.first === undefined ? f.time : Math.min(tally.first, f.time);
      tally.last = tally.last === undefined ? f.time : Math.max(tally.last, f.time);
      const run = runKeyOf(f);
      if (run !== undefined) {
        if (this.#options.trackLines === true && !tally.runs.has(run))
          this.runLines.set(`${f.automationId}\u0000${run}`, this.line);
        tally.runs.set(run, runNameOf(f));
      }
    }
    this.fired += 1;
    if (this.firings.length < (this.#options.keepFirings ?? Number.POSITIVE_INFINITY)) {
      this.firings.push(this.#options.slimFirings === true ? slim(f) : f);
      if (this.#options.trackLines === true) this.firingLines.push(this.line);
    }
    for (const o of this.#observers) o.firing?.(f);
  }
}
