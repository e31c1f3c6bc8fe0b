import type { Clock } from '../clock/clock.js';
import { type Issue, issue } from '../errors/issue.js';
import type { AcceptedEvent } from '../events/parse-event.js';
import { parseEvent } from '../events/parse-event.js';
import { compileMetricFilter } from '../filters/compile-metric-filter.js';
import type { Evidence } from '../filters/evidence.js';
import { compileRunFilter } from '../filters/run-filter.js';
import type { PatternCache } from '../match/pattern-cache.js';
import { AutomationRegistry } from '../routing/automation-registry.js';
import { MetricIndex } from '../routing/metric-index.js';
import type { MetricWatcher } from '../routing/watcher.js';
import type { Automation } from '../schema/automation.js';
import type { RunMetricsData } from '../schema/run-events.js';
import { MetricSeries } from '../state/metric-series.js';
import { type RunRecord, RunStore } from '../state/run-record.js';
import { SeenIds } from '../state/seen-ids.js';
import { type Counters, newCounters } from './counters.js';
import { type Firing, firingId } from './firing.js';

/** A match the cooldown held back: counted, and shown to whoever asks (replays, reports). */
export type Suppressed = {
  readonly automation: Automation;
  readonly runId: string;
  readonly time: number;
  readonly evidence: Evidence;
};

export interface AutomatorOptions {
  readonly clock: Clock;
  readonly patterns: PatternCache;
  readonly report: (issue: Issue) => void;
  readonly integrations?: (name: string) => boolean;
  readonly onSuppressed?: (suppressed: Suppressed) => void;
}

const NONE: readonly Firing[] = Object.freeze([]);

/**
 * The pure core: saved automations in, events in, firings out. No I/O and no wall clock; time comes from
 * the events, and from the injected clock only for events that carry none.
 */
export class Automator {
  readonly registry: AutomationRegistry;
  readonly counters: Counters = newCounters();
  /** Firings and suppressed matches per automation id (kept after a delete, for reports). */
  readonly perAutomation = new Map<string, { firings: number; suppressed: number }>();
  readonly #options: AutomatorOptions;
  readonly #index = new MetricIndex();
  readonly #watchers = new Map<string, MetricWatcher>();
  readonly #runs = new RunStore();
  readonly #seen = new SeenIds();
  readonly #now: () => number;

  constructor(options: AutomatorOptions) {
    this.#options = options;
    this.#now = () => options.clock.now();
    this.registry = new AutomationRegistry({
      clock: options.clock,
      patterns: options.patterns,
      ...(options.integrations !== undefined && { integrations: options.integrations }),
      onChange: (before, after) => this.#apply(before, after),
    });
  }

  get runCount(): number {
    return this.#runs.size;
  }

  get seriesCount(): number {
    let n = 0;
    for (const run of this.#runs.values()) n += run.series.size;
    return n;
  }

  /** Validate and apply one event; returns what it fired. A bad event is reported and changes nothing. */
  process(input: unknown): readonly Firing[] {
    this.counters.received += 1;
    const parsed = parseEvent(input, this.#now);
    if (!parsed.ok) {
      this.counters.rejected += 1;
      for (const i of parsed.issues) this.#options.report(i);
      return NONE;
    }
    const accepted = parsed.value;
    const { source, id } = accepted.event;
    if (this.#seen.has(source, id)) {
      this.counters.duplicates += 1;
      return NONE;
    }
    this.#seen.add(source, id, accepted.time);
    this.counters.accepted += 1;
    switch (accepted.kind) {
      case 'run.metrics':
        return this.#onMetrics(accepted);
      case 'run.state':
        this.#identify(accepted.data);
        return NONE;
      case 'foreign':
        return NONE;
    }
  }

  #identify(data: {
    entity: string;
    project: string;
    runId: string;
    runName?: string;
    user?: string;
  }): RunRecord {
    const run = this.#runs.getOrCreate(data.entity, data.project, data.runId);
    if (data.runName !== undefined) run.runName = data.runName;
    if (data.user !== undefined) run.user = data.user;
    return run;
  }

  #onMetrics(accepted: Extract<AcceptedEvent, { kind: 'run.metrics' }>): readonly Firing[] {
    const data: RunMetricsData = accepted.data;
    const { entity, project, step } = data;
    const run = this.#identify(data);
    const index = this.#index;
    let firings: Firing[] | undefined;
    for (const name in data.metrics) {
      const value = data.metrics[name] as number;
      let series = run.series.get(name);
      if (series === undefined) {
        if (index.watchers(entity, project, name).length === 0) continue;
        series = new MetricSeries();
        run.series.set(name, series);
      }
      if (series.version !== index.version)
        series.rebind(index.watchers(entity, project, name), index.version);
      const bindings = series.bindings;
      // A series nobody watches any more is left as it was: values are applied only while watched.
      if (bindings.length === 0) continue;
      if (step !== undefined) {
        if (series.lastStep >= step) {
          this.counters.stale += 1;
          this.#options.report({
            ...issue(
              'out_of_order',
              ['data', 'step'],
              `step ${step} is not after step ${series.lastStep} of ${name}`,
              step,
            ),
            eventId: accepted.event.id,
            source: accepted.event.source,
          });
          continue;
        }
        series.lastStep = step;
      }
      const finite = Number.isFinite(value);
      if (finite) series.push(value);
      const ring = series.ring;
      for (let i = 0; i < bindings.length; i++) {
        const binding = bindings[i]!;
        const filter = binding.watcher.filter;
        if (filter.nonFinite === finite) continue;
        if (finite && ring.count - binding.firstIndex < filter.history) continue;
        const evidence = filter.evaluate(ring, binding.aggregates, value);
        if (evidence === undefined) continue;
        const firing = this.#fire(binding.watcher, run, accepted, evidence);
        if (firing === undefined) continue;
        if (firings === undefined) firings = [firing];
        else firings.push(firing);
      }
    }
    return firings ?? NONE;
  }

  /** Run filter, then cooldown (per automation, per run, on event time), then the firing. */
  #fire(
    watcher: MetricWatcher,
    run: RunRecord,
    accepted: AcceptedEvent,
    evidence: Evidence,
  ): Firing | undefined {
    if (!watcher.runFilter(run)) return undefined;
    const automation = watcher.automation;
    const time = accepted.time;
    if (automation.cooldownMs > 0) {
      const last = run.lastFired.get(automation.id);
      if (last !== undefined && time < last + automation.cooldownMs) {
        this.counters.suppressed += 1;
        this.#count(automation.id).suppressed += 1;
        this.#options.onSuppressed?.({ automation, runId: run.runId, time, evidence });
        return undefined;
      }
      run.lastFired.set(automation.id, time);
    }
    this.counters.firings += 1;
    this.#count(automation.id).firings += 1;
    return Object.freeze({
      id: firingId(automation.id, accepted.event.source, accepted.event.id),
      automationId: automation.id,
      automationName: automation.name,
      event: accepted.event,
      runId: run.runId,
      time,
      evidence,
      action: automation.action,
    });
  }

  #count(id: string): { firings: number; suppressed: number } {
    let c = this.perAutomation.get(id);
    if (c === undefined) {
      c = { firings: 0, suppressed: 0 };
      this.perAutomation.set(id, c);
    }
    return c;
  }

  /**
   * Keep the index in step with the registry. A change that keeps the event (name, action, description,
   * cooldown) keeps the watcher and so its windows; a new event, or disabling, drops them.
   */
  #apply(before: Automation | undefined, after: Automation | undefined): void {
    const current = before === undefined ? undefined : this.#watchers.get(before.id);
    const sameEvent =
      before !== undefined &&
      after !== undefined &&
      JSON.stringify(before.event) === JSON.stringify(after.event);
    if (current !== undefined && after?.enabled === true && sameEvent) {
      current.automation = after;
      return;
    }
    if (current !== undefined && before !== undefined) {
      this.#index.remove(before.id, before.scope, current.filter.metric);
      this.#watchers.delete(before.id);
    }
    if (after?.enabled === true && after.event.type === 'OnRunMetric') {
      const watcher: MetricWatcher = {
        automation: after,
        filter: compileMetricFilter(after.event.filter),
        runFilter: compileRunFilter(after.event.runFilter, this.#options.patterns),
      };
      this.#watchers.set(after.id, watcher);
      this.#index.add(watcher);
    }
  }
}
