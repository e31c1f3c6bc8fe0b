import type { Issue } from '../errors/issue.js';
import type { AcceptedEvent } from '../events/parse-event.js';
import type { PatternCache } from '../match/pattern-cache.js';
import type { TriggerFamily } from '../routing/trigger-families.js';
import type { MetricWatcher } from '../routing/watcher.js';
import type { CountBooks } from '../state/count-book.js';
import { type Counters, newCounters } from '../state/counters.js';
import type { PartitionState } from '../state/partition-state.js';
import { DEFAULT_RETENTION, type Retention } from '../state/retention.js';
import { saveRun } from '../state/run-record.js';
import { RunStore } from '../state/run-store.js';
import { ScheduleBooks } from '../state/schedule-book.js';
import { SeenIds } from '../state/seen-ids.js';
import { ArtifactHandler } from './artifact-handler.js';
import { Deferral } from './deferral.js';
import type { DefinitionChange } from './definition-change.js';
import { internalIssue } from './event-intake.js';
import { type EventRoutes, eventRoutes } from './event-routes.js';
import { Firer } from './firer.js';
import type { Firing } from './firing.js';
import { Installations } from './installations.js';
import type { Handler } from './installed.js';
import { MetricHandler } from './metric-handler.js';
import { sweepRuns } from './run-sweep.js';
import { RunUpdateHandler } from './run-update-handler.js';
import { StagedRows } from './staged-rows.js';
import { StateHandler } from './state-handler.js';
import { SubscriptionHandler } from './subscription-handler.js';
import { reportSuppressed, type Suppressed } from './suppressed.js';
import { TimedTriggers } from './timed-triggers.js';

export interface PartitionOptions {
  /** Which partition this is, of how many: 0 of 1 unless the engine is partitioned. */
  readonly partition?: number;
  readonly of?: number;
  readonly patterns: PatternCache;
  /** Out-of-order values and internal faults of the events it applies. */
  readonly report: (issue: Issue) => void;
  readonly retention?: Retention;
  /** Count triggers' groups, shared by the partitions of one engine (a project's runs span partitions). */
  readonly countBooks?: CountBooks;
  /** Schedules' clocks, shared by the partitions of one engine: partition 0 fires them. */
  readonly scheduleBooks?: ScheduleBooks;
  /** Told of each match the cooldown holds back; without it, such a match is only counted. */
  readonly onSuppressed?: (suppressed: Suppressed) => void;
  /** Whether `onSuppressed` has anyone to tell now: when not, a held-back match builds nothing. */
  readonly wantsSuppressed?: () => boolean;
  /** Where a grouped batch's firings wait for their turn (`report` and `onSuppressed` defer through it too). */
  readonly deferral?: Deferral;
}

const NONE: readonly Firing[] = Object.freeze([]);
type MetricsRow = AcceptedEvent & { readonly kind: 'run.metrics' };

/**
 * The runtime core for the keys routed to it: runs, collections, seen ids and cooldowns, and its own compiled
 * view of the definitions, which it changes only by the ordered definition changes it is given. Validated events
 * in, firings out; no I/O and no clock: time comes from the events.
 */
export class Partition {
  readonly partition: number;
  readonly of: number;
  readonly counters: Counters = newCounters();
  /** Where this partition is in its log, for a worker that reads one; saved and restored, never read here. */
  lastOffset: number | undefined;
  readonly #options: PartitionOptions;
  readonly #runs = new RunStore<MetricWatcher>();
  readonly #seen = new SeenIds();
  readonly #firer: Firer;
  readonly #artifacts: ArtifactHandler;
  readonly #metrics: MetricHandler;
  readonly #states: StateHandler;
  readonly #timed: TimedTriggers;
  readonly #sharedCounts: boolean;
  readonly #installations: Installations;
  /** The handlers each kind of event visits, in the order their firings come out. */
  #route: EventRoutes;
  readonly #families: Readonly<Record<TriggerFamily, Handler>>;
  readonly #retention: Required<Retention>;
  /** The latest event time accepted: eviction runs on event time, like cooldowns. */
  #watermark = Number.NEGATIVE_INFINITY;
  #sinceSweep = 0;
  readonly #out: Firing[] = [];
  /** A grouped batch's rows, between their two halves. */
  readonly #staged: StagedRows;

  constructor(options: PartitionOptions) {
    this.#options = options;
    this.partition = options.partition ?? 0;
    this.of = options.of ?? 1;
    this.#retention = { ...DEFAULT_RETENTION, ...options.retention };
    const { patterns, report, onSuppressed, wantsSuppressed } = options;
    this.#firer = new Firer(this.counters, onSuppressed && reportSuppressed(onSuppressed), wantsSuppressed);
    this.#artifacts = new ArtifactHandler(patterns, this.#firer);
    this.#artifacts.collections.maxVersions = this.#retention.maxVersionsPerCollection;
    const context = { runs: this.#runs, patterns, firer: this.#firer, counters: this.counters, report };
    this.#metrics = new MetricHandler(context);
    this.#states = new StateHandler(context, options.countBooks);
    this.#sharedCounts = options.countBooks !== undefined;
    // A partition on its own has no engine clock: its schedules start at time 0 until a snapshot says otherwise.
    const books = options.scheduleBooks ?? new ScheduleBooks(() => 0);
    this.#timed = new TimedTriggers(context, books, this.partition === 0);
    const families: Record<TriggerFamily, Handler> = {
      metric: this.#metrics,
      state: this.#states,
      stall: this.#timed.stalls,
      schedule: this.#timed.schedules,
      artifact: this.#artifacts,
      subscription: new SubscriptionHandler(this.#firer),
      run: new RunUpdateHandler(this.#runs),
    };
    this.#installations = new Installations(families);
    this.#families = families;
    this.#route = eventRoutes(this.#families, this.#installations);
    const fault = (accepted: AcceptedEvent, error: unknown) => this.#fault(accepted, error);
    this.#staged = new StagedRows(this.#metrics, options.deferral ?? new Deferral(), this.#out, fault);
  }

  /** The revision of the last definition change applied. */
  get revision(): number {
    return this.#installations.revision;
  }

  get perAutomation(): ReadonlyMap<string, { readonly firings: number; readonly suppressed: number }> {
    return this.#firer.perAutomation;
  }

  get runCount(): number {
    return this.#runs.size;
  }

  get collectionCount(): number {
    return this.#artifacts.collections.size;
  }

  get collectionEvictions(): number {
    return this.#artifacts.collections.evicted;
  }

  get seriesCount(): number {
    return this.#runs.seriesCount;
  }

  /**
   * A rough count of the bytes it holds, for stats(), in O(1): series slabs exactly (kept as a running total),
   * everything else by per-object estimates measured with bench/memory.ts.
   */
  get bytesEstimate(): number {
    return this.#seen.size * 120 + this.#artifacts.collections.bytes + this.#runs.bytesEstimate;
  }

  /** Apply one definition change; the changes must come in order. */
  applyDefinition(change: DefinitionChange): void {
    // Staged rows are applied under the automations they came under.
    this.#staged.flush();
    this.#installations.apply(change);
    this.#route = eventRoutes(this.#families, this.#installations);
  }

  /**
   * Apply one validated event; returns what it fired, or undefined for a duplicate (its source and id were
   * accepted before). Never throws: a fault of ours is reported, and what the event did before it stays.
   */
  apply(accepted: AcceptedEvent): readonly Firing[] | undefined {
    if (!this.#admit(accepted)) return undefined;
    // One scratch list for every event: most fire nothing, and those that do get a copy of their own.
    const out = this.#out;
    try {
      this.#sweepIfDue();
      const handlers = this.#route[accepted.kind];
      for (let i = 0; i < handlers.length; i++) (handlers[i] as Handler).handle(accepted, out);
    } catch (error) {
      this.#fault(accepted, error);
    }
    if (out.length === 0) return NONE;
    const firings = out.slice();
    out.length = 0;
    return firings;
  }

  /** Whether run.metrics rows may be applied grouped by run: only while metric triggers alone see them. */
  get groups(): boolean {
    const route = this.#route['run.metrics'];
    // With no metric automation there are no windows to keep in cache: grouping would only cost.
    return route.length === 1 && route[0] === this.#metrics && this.#installations.uses('metric');
  }

  /**
   * A grouped batch's run.metrics row, its first half (what `apply` does, in event order, up to the values):
   * false for a duplicate. Its values wait for `flush`; whatever must see them first flushes. `eventOf(row)`
   * gives the row's event again, for a stale step or a match.
   */
  stage(accepted: MetricsRow, row: number, eventOf: (row: number) => AcceptedEvent): boolean {
    if (!this.#admit(accepted)) return false;
    try {
      this.#sweepIfDue();
      this.#staged.add(accepted, this.#metrics.stage(accepted, this.#staged.settle), row, eventOf);
    } catch (error) {
      this.#fault(accepted, error);
    }
    return true;
  }

  /** A grouped batch's rows between their two halves: `flush` applies them, `release` gives back their room. */
  get staged(): StagedRows {
    return this.#staged;
  }

  /** Count the event; false for a duplicate (its source and id were accepted before). */
  #admit(accepted: AcceptedEvent): boolean {
    this.counters.received += 1;
    if (!this.#seen.addNew(accepted.source, accepted.id, accepted.time)) {
      this.counters.duplicates += 1;
      return false;
    }
    this.counters.accepted += 1;
    if (accepted.time > this.#watermark) this.#watermark = accepted.time;
    return true;
  }

  /** A sweep walks every run, so it waits for at least as many events as there are runs: O(1) amortised. */
  #sweepIfDue(): void {
    if (++this.#sinceSweep < Math.max(this.#retention.sweepEvery, this.#runs.size)) return;
    // Staged rows are applied first only when the sweep may release one of their runs (`settleBefore`).
    this.#staged.settleBefore(this.#watermark, this.#retention);
    this.sweep();
  }

  /** Only a fault of ours gets here (the user's patterns are guarded): reported, never thrown at the caller. */
  #fault(accepted: AcceptedEvent, error: unknown): void {
    const { id: eventId, source } = accepted;
    this.#options.report({ ...internalIssue(error, 'applying an event'), eventId, source });
  }

  /** The stalls and schedules the engine clock fires: when to wake, and what is due then. */
  get timed(): TimedTriggers {
    return this.#timed;
  }

  /** Count an event refused before it could be routed: refused events are counted by partition 0. */
  countRejected(): void {
    this.counters.received += 1;
    this.counters.rejected += 1;
  }

  /** Release idle and ended runs now, on event time (sweeps also run as events arrive); returns how many. */
  sweep(): number {
    this.#sinceSweep = 0;
    const released = sweepRuns(this.#runs, this.#watermark, this.#retention, this.#installations.cooldowns);
    this.counters.evictions += released;
    return released;
  }

  /** Everything but the definitions: windows, cooldowns, run and collection state, seen ids, counters, sweep clock. */
  save(): PartitionState {
    // Shared count groups are saved once, by partition 0; a partition on its own (a cluster's) saves its own.
    const counts = this.partition === 0 || !this.#sharedCounts ? this.#states.saveCounts() : [];
    const idOf = (w: MetricWatcher) => this.#installations.idOf(w);
    return {
      partition: this.partition,
      of: this.of,
      revision: this.revision,
      ...(this.lastOffset !== undefined && { lastOffset: this.lastOffset }),
      ...(Number.isFinite(this.#watermark) && { watermark: this.#watermark }),
      sinceSweep: this.#sinceSweep,
      runs: [...this.#runs.values()].map((run) => {
        const saved = saveRun(run, idOf);
        const stalls = this.#timed.stalls.saved(run);
        return stalls.length > 0 ? { ...saved, stalls } : saved;
      }),
      collections: this.#artifacts.collections.save(),
      seen: this.#seen.save(),
      counters: { ...this.counters },
      perAutomation: [...this.#firer.perAutomation].map(([id, c]) => [id, { ...c }]),
      ...(counts.length > 0 && { counts }),
      ...this.#timed.save(),
    };
  }

  /** Continue from saved state; the definitions must be applied first, so series bind to their watchers. */
  load(state: PartitionState): void {
    if (state.lastOffset !== undefined) this.lastOffset = state.lastOffset;
    if (state.watermark !== undefined) this.#watermark = state.watermark;
    this.#sinceSweep = state.sinceSweep;
    for (const saved of state.runs) {
      const run = this.#runs.load(saved);
      for (const [metric, series] of saved.series)
        this.#metrics.loadSeries(run, metric, series, (w) => w.automation.id);
      if (saved.stalls !== undefined) this.#timed.stalls.load(run, saved.stalls);
    }
    this.#artifacts.collections.load(state.collections);
    this.#seen.load(state.seen);
    Object.assign(this.counters, state.counters);
    this.#firer.loadCounts(state.perAutomation);
    if (state.counts !== undefined) this.#states.loadCounts(state.counts);
    this.#timed.load(state);
  }
}
