import type { Clock } from '../clock/clock.js';
import { messageOf } from '../errors/error-message.js';
import { type Issue, issue } from '../errors/issue.js';
import { fastRunMetrics } from '../events/fast-run-metrics.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../events/input-limits.js';
import { type AcceptedEvent, type ParseResult, parseEvent } from '../events/parse-event.js';
import type { Evidence } from '../filters/evidence.js';
import type { PatternCache } from '../match/pattern-cache.js';
import type { MetricWatcher } from '../routing/watcher.js';
import type { Automation } from '../schema/automation.js';
import type { CoreState } from '../state/core-state.js';
import { type Counters, newCounters } from '../state/counters.js';
import { DEFAULT_RETENTION, type Retention } from '../state/retention.js';
import { type RunRecord, RunStore, saveRun } from '../state/run-record.js';
import { SeenIds } from '../state/seen-ids.js';
import { ArtifactHandler } from './artifact-handler.js';
import type { DefinitionChange } from './definition-change.js';
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

const internal = (error: unknown, step: string): Issue =>
  issue('internal_error', [], `an internal step failed while ${step}: ${messageOf(error)}`, error);

/**
 * The pure core: definition changes in, events in, firings out. No I/O and no wall clock; time comes from
 * the events, and from the injected clock only for events that carry none.
 */
export class Automator {
  readonly counters: Counters = newCounters();
  readonly #options: AutomatorOptions;
  readonly #runs = new RunStore<MetricWatcher>();
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
    // The fast path keeps the default bounds by construction; the time check is made for both paths.
    this.#fast = Object.entries(DEFAULT_INPUT_LIMITS).every(
      ([k, v]) => k === 'maxFutureMs' || this.#limits[k as keyof InputLimits] >= v,
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

  #cooledDown(run: RunRecord<MetricWatcher>, now: number): boolean {
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

  /**
   * Validate and apply one event; returns what it fired. Never throws. Validation reads the event and changes
   * nothing; only an event accepted whole reaches the handlers, which read the parsed copy and nothing else.
   */
  process(input: unknown): readonly Firing[] {
    this.counters.received += 1;
    let parsed: ParseResult;
    try {
      // The usual run.metrics row skips the general path; anything unusual, or custom limits, take it.
      const fast = this.#fast ? fastRunMetrics(input, this.#now) : undefined;
      parsed = fast !== undefined ? { ok: true, value: fast } : parseEvent(input, this.#now, this.#limits);
      const ahead = parsed.ok ? this.#ahead(parsed.value) : undefined;
      if (ahead !== undefined) parsed = { ok: false, issues: [ahead] };
    } catch (error) {
      // A clock that throws, or a fault of ours: refused before anything changed.
      parsed = { ok: false, issues: [internal(error, 'validating an event')] };
    }
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
    return this.#apply(accepted);
  }

  /**
   * Refuse an event dated further ahead of the engine clock than `maxFutureMs`: event time moves the watermark
   * that evicts runs and seen ids, so one such event would wipe them. Events without time take the clock's.
   */
  #ahead(accepted: AcceptedEvent): Issue | undefined {
    const max = this.#limits.maxFutureMs;
    if (max === Number.POSITIVE_INFINITY) return undefined;
    const now = this.#now();
    if (accepted.time <= now + max) return undefined;
    const ahead = accepted.time - now;
    const message = `the event's time is ${ahead} ms ahead of the engine clock; at most ${max} ms (maxFutureMs)`;
    const { id: eventId, source } = accepted;
    return { ...issue('out_of_range', ['time'], message, accepted.time), eventId, source };
  }

  /** Count and report an input refused before it could be read as an event (say, an accessor in a batch). */
  refuse(refused: Issue): void {
    this.counters.received += 1;
    this.counters.rejected += 1;
    this.#options.report(refused);
  }

  #apply(accepted: AcceptedEvent): readonly Firing[] {
    const out: Firing[] = [];
    try {
      this.#seen.add(accepted.source, accepted.id, accepted.time);
      this.counters.accepted += 1;
      if (accepted.time > this.#watermark) this.#watermark = accepted.time;
      // A sweep walks every run, so it waits for at least as many events as there are runs: O(1) amortised.
      if (++this.#sinceSweep >= Math.max(this.#retention.sweepEvery, this.#runs.size)) this.sweep();
      for (const handler of this.#handlers) handler.handle(accepted, out);
    } catch (error) {
      // Only a fault of ours gets here (the user's patterns are guarded): reported, never thrown at the caller.
      const { id: eventId, source } = accepted;
      this.#options.report({ ...internal(error, 'applying an event'), eventId, source });
    }
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
