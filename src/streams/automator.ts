import type { Clock } from '../clock/clock.js';
import type { DefinitionChange } from '../core/definition-change.js';
import type { Issue } from '../errors/issue.js';
import { fastRunMetrics } from '../events/fast-run-metrics.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../events/input-limits.js';
import { parseEvent } from '../events/parse-event.js';
import type { Evidence } from '../filters/evidence.js';
import type { PatternCache } from '../match/pattern-cache.js';
import type { MetricWatcher } from '../routing/watcher.js';
import type { Automation } from '../schema/automation.js';
import type { CoreState } from '../state/core-state.js';
import { DEFAULT_RETENTION, type Retention } from '../state/retention.js';
import { type RunRecord, RunStore, saveRun } from '../state/run-record.js';
import { SeenIds } from '../state/seen-ids.js';
import { ArtifactHandler } from './artifact-handler.js';
import { type Counters, newCounters } from './counters.js';
import { EventHandler } from './event-handler.js';
import { Firer } from './firer.js';
import type { Firing } from './firing.js';
import type { Handler, Installed } from './installed.js';
import { MetricHandler } from './metric-handler.js';
import { StateHandler } from './state-handler.js';

/** A match the cooldown held back: counted, and shown to whoever asks (replays, reports). */
export type Suppressed = {
  readonly automation: Automation;
  readonly runId: string;
  readonly entity: string;
  readonly project: string;
  readonly time: number;
  readonly evidence?: Evidence;
};

export interface AutomatorOptions {
  readonly clock: Clock;
  readonly patterns: PatternCache;
  readonly report: (issue: Issue) => void;
  readonly limits?: InputLimits;
  readonly retention?: Retention;
  readonly onSuppressed?: (suppressed: Suppressed) => void;
}

const NONE: readonly Firing[] = Object.freeze([]);

/**
 * The pure core: definition changes in, events in, firings out. No I/O and no wall clock; time comes from
 * the events, and from the injected clock only for events that carry none.
 */
export class Automator {
  readonly counters: Counters = newCounters();
  readonly #options: AutomatorOptions;
  readonly #runs = new RunStore();
  readonly #seen = new SeenIds();
  readonly #firer: Firer;
  readonly #artifacts: ArtifactHandler;
  readonly #metrics: MetricHandler;
  readonly #handlers: readonly Handler[];
  readonly #installed = new Map<string, Installed>();
  /** Every saved automation's cooldown, enabled or not: a run is released only once they have all run out. */
  readonly #cooldowns = new Map<string, number>();
  readonly #now: () => number;
  readonly #limits: InputLimits;
  readonly #fast: boolean;
  readonly #retention: Required<Retention>;
  /** The latest event time accepted: eviction runs on event time, like cooldowns. */
  #watermark = Number.NEGATIVE_INFINITY;
  #sinceSweep = 0;

  constructor(options: AutomatorOptions) {
    this.#options = options;
    this.#now = () => options.clock.now();
    this.#limits = { ...DEFAULT_INPUT_LIMITS, ...options.limits };
    this.#fast = Object.entries(DEFAULT_INPUT_LIMITS).every(
      ([k, v]) => this.#limits[k as keyof InputLimits] >= v,
    );
    this.#retention = { ...DEFAULT_RETENTION, ...options.retention };
    const { patterns, report } = options;
    const onSuppressed = options.onSuppressed;
    this.#firer = new Firer(
      this.counters,
      onSuppressed &&
        ((automation, run, accepted, extras) =>
          onSuppressed({
            automation,
            runId: run.runId,
            entity: run.entity,
            project: run.project,
            time: accepted.time,
            ...(extras.evidence !== undefined && { evidence: extras.evidence }),
          })),
    );
    this.#artifacts = new ArtifactHandler(patterns, this.#firer);
    this.#artifacts.collections.maxVersions = this.#retention.maxVersionsPerCollection;
    const context = { runs: this.#runs, patterns, firer: this.#firer, counters: this.counters, report };
    this.#metrics = new MetricHandler(context);
    // Order matters only for the order of one event's firings: by trigger family, then oldest automation first.
    this.#handlers = [
      this.#metrics,
      new StateHandler(context),
      this.#artifacts,
      new EventHandler(this.#firer),
    ];
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

  /**
   * Release runs nobody will miss, on event time: idle ones, and finished/failed/killed ones past their grace
   * period whose cooldowns have all run out. Returns how many were released.
   */
  sweep(): number {
    this.#sinceSweep = 0;
    const now = this.#watermark;
    const { runIdleMs, terminalRunMs } = this.#retention;
    let released = 0;
    for (const run of [...this.#runs.values()]) {
      const idle = run.lastSeen < now - runIdleMs;
      const ended = run.state === 'finished' || run.state === 'failed' || run.state === 'killed';
      const done =
        ended && (run.stateTime ?? run.lastSeen) + terminalRunMs <= now && this.#cooledDown(run, now);
      if (idle || done) {
        this.#runs.delete(run);
        released += 1;
      }
    }
    this.counters.evictions += released;
    return released;
  }

  #cooledDown(run: RunRecord, now: number): boolean {
    for (const [id, last] of run.lastFired) {
      const cooldown = this.#cooldowns.get(id) ?? 0;
      if (last + cooldown > now) return false;
    }
    return true;
  }

  /**
   * A rough count of the bytes the core holds, for stats(), in O(1): ring bytes exactly (kept as a running
   * total), everything else by per-object estimates measured with bench/memory.ts.
   */
  get bytesEstimate(): number {
    const runs = this.#runs;
    return (
      this.#seen.size * 120 +
      this.#artifacts.collections.bytes +
      runs.size * 400 +
      runs.seriesCount * 250 +
      runs.ringBytes
    );
  }

  get collectionEvictions(): number {
    return this.#artifacts.collections.evicted;
  }

  get seriesCount(): number {
    return this.#runs.seriesCount;
  }

  /** Everything but the definitions: windows, cooldowns, run and collection state, seen ids, counters. */
  save(): Omit<CoreState, 'nextId' | 'revision'> {
    return {
      runs: [...this.#runs.values()].map((run) => saveRun(run, this.#currentId)),
      collections: this.#artifacts.collections.save(),
      seen: this.#seen.save(),
      counters: { ...this.counters },
      perAutomation: [...this.#firer.perAutomation].map(([id, c]) => [id, { ...c }] as const),
    };
  }

  /** A watcher's automation id if it is the one installed now; undefined for one since replaced. */
  readonly #currentId = (w: MetricWatcher): string | undefined =>
    Object.is(this.#installed.get(w.automation.id), w) ? w.automation.id : undefined;

  /** Continue from saved state; the automations must be applied first, so series bind to their watchers. */
  load(state: CoreState): void {
    for (const run of state.runs) if (run.lastSeen > this.#watermark) this.#watermark = run.lastSeen;
    for (const saved of state.runs) {
      const run = this.#runs.load(saved);
      for (const [metric, series] of saved.series)
        this.#metrics.loadSeries(run, metric, series, (w) => w.automation.id);
    }
    this.#artifacts.collections.load(state.collections);
    this.#seen.load(state.seen);
    Object.assign(this.counters, state.counters);
    this.#firer.loadCounts(state.perAutomation);
  }

  /** Validate and apply one event; returns what it fired. A bad event is reported and changes nothing. */
  process(input: unknown): readonly Firing[] {
    this.counters.received += 1;
    // The usual run.metrics row skips the general path; anything unusual, or custom limits, take it.
    const fast = this.#fast ? fastRunMetrics(input, this.#now) : undefined;
    const parsed =
      fast !== undefined ? { ok: true as const, value: fast } : parseEvent(input, this.#now, this.#limits);
    if (!parsed.ok) {
      this.counters.rejected += 1;
      for (const i of parsed.issues) this.#options.report(i);
      return NONE;
    }
    const accepted = parsed.value;
    const { source, id } = accepted;
    if (this.#seen.has(source, id)) {
      this.counters.duplicates += 1;
      return NONE;
    }
    this.#seen.add(source, id, accepted.time);
    this.counters.accepted += 1;
    if (accepted.time > this.#watermark) this.#watermark = accepted.time;
    // A sweep walks every run, so it waits for at least as many events as there are runs: O(1) amortised.
    if (++this.#sinceSweep >= Math.max(this.#retention.sweepEvery, this.#runs.size)) this.sweep();
    const out: Firing[] = [];
    for (const handler of this.#handlers) handler.handle(accepted, out);
    return out.length === 0 ? NONE : out;
  }

  /**
   * Apply one definition change. A change that keeps the trigger (management's `sameTrigger`) keeps the installed
   * automation and so its windows, while it stays enabled; a new trigger, or disabling, drops them.
   */
  applyDefinition(change: DefinitionChange): void {
    const { before, after } = change;
    if (before !== undefined && after === undefined) this.#cooldowns.delete(before.id);
    if (after !== undefined) this.#cooldowns.set(after.id, after.cooldownMs);
    const current = before === undefined ? undefined : this.#installed.get(before.id);
    if (current !== undefined && after?.enabled === true && change.sameTrigger) {
      current.automation = after;
      return;
    }
    if (current !== undefined && before !== undefined) {
      current.uninstall();
      this.#installed.delete(before.id);
    }
    if (after?.enabled !== true) return;
    for (const handler of this.#handlers) {
      const installed = handler.install(after);
      if (installed !== undefined) {
        this.#installed.set(after.id, installed);
        return;
      }
    }
  }
}
