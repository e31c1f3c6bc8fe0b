import {
  type Automation,
  type Firing,
  type MetricFilter,
  type Pattern,
  re2jsEngine,
  type Scope,
  type Suppressed,
} from '../../index.js';
import { describeFiring, simpleRunFilter } from '../describe.js';
import type { ReplayObserver, ReplayResult } from '../replay-types.js';
import { runKey, runKeyOf } from '../run-key.js';
import { metricValue } from './metric-value.js';
import type { ListedFiring, ReportData, RunData } from './report-data.js';
import { type Overlay, SeriesCollector } from './series.js';

type Watcher = {
  readonly index: number;
  readonly filter: MetricFilter;
  readonly scope: Scope;
  readonly user?: string;
  readonly runName?: Pattern;
};

type RunRecord = {
  readonly key: string;
  /** The line of its first event: runs are listed in this order before they are ranked. */
  readonly line: number;
  readonly entity: string;
  readonly project: string;
  readonly runId: string;
  name?: string;
  user?: string;
  state?: string;
  events: number;
  firings: number;
  suppressed: number;
  first: number;
  last: number;
  readonly series: Map<string, SeriesCollector>;
  /** Firings drawn on no chart (a run state change, say): listed in the run's card. */
  readonly listed: ListedFiring[];
  notListed: number;
};

/** A run as one thread of a replay drew it, with the line of its first event: what threads hand back. */
export type ShareRun = readonly [line: number, run: RunData];

/** At most this many firings a run lists in its card beside its charts; the rest are counted. */
export const MAX_LISTED_FIRINGS = 100;

type EventShape = {
  readonly type?: unknown;
  readonly time?: unknown;
  readonly data?: {
    readonly entity?: unknown;
    readonly project?: unknown;
    readonly runId?: unknown;
    readonly runName?: unknown;
    readonly user?: unknown;
    readonly step?: unknown;
    readonly state?: unknown;
    readonly metrics?: unknown;
  };
};

function inScope(scope: Scope, entity: string, project: string): boolean {
  if (scope.entity !== entity) return false;
  return scope.type === 'entity' || (scope.type === 'project' && scope.project === project);
}

const timeMs = (t: unknown): number =>
  typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : Number.NaN;

/**
 * Gathers what the report draws, as the replay goes: per run and watched metric, the values (bounded: see
 * MAX_POINTS), each watching automation's window aggregate and bounds, and a mark at each firing and suppressed
 * match. Only accepted events reach it, in order, each before its firings.
 */
export class ReportCollector implements ReplayObserver {
  #automations: readonly Automation[] = [];
  readonly #indexOf = new Map<string, number>();
  readonly #watchers = new Map<string, Watcher[]>();
  readonly #byIndex = new Map<number, Watcher>();
  readonly #runs = new Map<string, RunRecord>();
  #current: RunRecord | undefined;
  /** Runs other threads drew (a replay on threads: each thread collects its partition's runs), in line order. */
  readonly #shares: RunData[] = [];

  /** The automations as saved; a second call (see ReplayObserver) replaces the watchers, so none is drawn twice. */
  start(automations: readonly Automation[]): void {
    this.#automations = automations;
    this.#indexOf.clear();
    this.#watchers.clear();
    this.#byIndex.clear();
    automations.forEach((a, index) => {
      this.#indexOf.set(a.id, index);
      const e = a.event;
      if (!a.enabled || e.type !== 'OnRunMetric') return;
      // A MongoDB-style filter reads tags and config the report does not keep: its overlay is drawn on every run.
      const simple = simpleRunFilter(e.runFilter);
      const watcher: Watcher = {
        index,
        filter: e.filter,
        scope: e.scope,
        ...(simple?.user !== undefined && { user: simple.user }),
        ...(simple?.runName !== undefined && { runName: re2jsEngine.compile(simple.runName) }),
      };
      this.#byIndex.set(index, watcher);
      this.#watchers.set(e.filter.name, [...(this.#watchers.get(e.filter.name) ?? []), watcher]);
    });
  }

  /** The saved automation with this id. */
  automation(id: string): Automation | undefined {
    const i = this.#indexOf.get(id);
    return i === undefined ? undefined : this.#automations[i];
  }

  event(input: unknown, line: number): void {
    const event = input as EventShape;
    const data = event.data;
    this.#current = undefined;
    if ((event.type !== 'run.metrics' && event.type !== 'run.state') || data === undefined) return;
    const entity = String(data.entity);
    const project = String(data.project);
    const run = this.#run(entity, project, String(data.runId), timeMs(event.time), line);
    this.#current = run;
    if (typeof data.runName === 'string') run.name = data.runName;
    if (typeof data.user === 'string') run.user = data.user;
    if (event.type === 'run.state') {
      run.state = String(data.state);
      return;
    }
    const metrics = data.metrics as Record<string, unknown>;
    const step = typeof data.step === 'number' ? data.step : undefined;
    for (const name of Object.keys(metrics)) {
      const value = metricValue(metrics[name]);
      if (value === undefined) continue;
      let series = run.series.get(name);
      if (series === undefined) {
        const overlays = this.#overlays(name, entity, project);
        if (overlays.length === 0) continue;
        series = new SeriesCollector(name, overlays);
        run.series.set(name, series);
      }
      // The engine drops a step that is not after the last one; so does the chart.
      if (step !== undefined) {
        if (step <= series.lastStep) continue;
        series.lastStep = step;
      }
      series.push(step ?? series.lastX + 1, value);
    }
  }

  suppressed(s: Suppressed): void {
    const run = this.#current;
    if (run === undefined || run.runId !== s.runId) return;
    run.suppressed += 1;
    const index = this.#indexOf.get(s.automation.id);
    const e = s.evidence;
    if (e === undefined || index === undefined) return;
    run.series.get(e.metric)?.suppressed(index, s.time);
  }

  firing(f: Firing): void {
    const key = runKeyOf(f);
    const run = key === undefined ? undefined : this.#runs.get(key);
    if (run === undefined) return;
    run.firings += 1;
    const index = this.#indexOf.get(f.automationId);
    if (index === undefined) return;
    const e = f.evidence;
    const series = e === undefined ? undefined : run.series.get(e.metric);
    if (e !== undefined && series !== undefined) series.fired(index, f.time, e.value, e.aggregate);
    else if (run.listed.length >= MAX_LISTED_FIRINGS) run.notListed += 1;
    else {
      const { subject, why } = describeFiring(f, this.#automations[index]);
      run.listed.push({
        time: f.time,
        automation: index,
        why: subject === 'state' ? why : `${subject}: ${why}`,
      });
    }
  }

  /** Everything the report needs, runs with the most firings first (this thread's and the shares'). */
  build(result: ReplayResult): ReportData {
    // A collector given shares drew none itself (the main thread of a replay on threads): either way the runs are in
    // the order one thread would have met them, so runs that rank equal stay in that order.
    const runs = [...this.shareRuns().map(([, run]) => run), ...this.#shares];
    runs.sort((a, b) => b.firings - a.firings || b.suppressed - a.suppressed || a.first - b.first);
    return { result, runs };
  }

  /** Runs drawn by the threads of a replay (their collectors' `shareRuns`), merged in line order. */
  addShares(runs: readonly RunData[]): void {
    this.#shares.push(...runs);
  }

  /** The runs this collector drew, in the order it met them, each with the line of its first event. */
  shareRuns(): ShareRun[] {
    return [...this.#runs.values()].map((r) => [
      r.line,
      {
        key: r.key,
        name: r.name ?? r.runId,
        runId: r.runId,
        entity: r.entity,
        project: r.project,
        ...(r.user !== undefined && { user: r.user }),
        ...(r.state !== undefined && { state: r.state }),
        events: r.events,
        firings: r.firings,
        suppressed: r.suppressed,
        first: r.first,
        last: r.last,
        listed: r.listed,
        notListed: r.notListed,
        series: [...r.series.values()].map((s) => {
          const data = s.build();
          // An automation whose run filter leaves this run out is not drawn (unless it marked something here).
          const drawn = data.overlays.filter(
            (o) =>
              this.#passes(o.a, r) ||
              data.marks.some((m) => m[2] === o.a) ||
              data.bands.some((b) => b[2] === o.a),
          );
          return { ...data, overlays: drawn };
        }),
      },
    ]);
  }

  #run(entity: string, project: string, runId: string, time: number, line: number): RunRecord {
    const key = runKey(entity, project, runId);
    let run = this.#runs.get(key);
    if (run === undefined) {
      run = {
        key,
        line,
        entity,
        project,
        runId,
        events: 0,
        firings: 0,
        suppressed: 0,
        first: time,
        last: time,
        series: new Map(),
        listed: [],
        notListed: 0,
      };
      this.#runs.set(key, run);
    }
    run.events += 1;
    if (Number.isFinite(time)) {
      run.first = Number.isFinite(run.first) ? Math.min(run.first, time) : time;
      run.last = Number.isFinite(run.last) ? Math.max(run.last, time) : time;
    }
    return run;
  }

  /** The run filter, on the run's latest name and user, as the engine applies it. */
  #passes(index: number, run: RunRecord): boolean {
    const w = this.#byIndex.get(index);
    if (w === undefined) return false;
    if (w.user !== undefined && run.user !== w.user) return false;
    return w.runName === undefined || (run.name !== undefined && w.runName.test(run.name));
  }

  /** The automations that watch `metric` in this run's scope; run filters are applied when the run is drawn. */
  #overlays(metric: string, entity: string, project: string): Overlay[] {
    return (this.#watchers.get(metric) ?? [])
      .filter((w) => inScope(w.scope, entity, project))
      .map((w) => ({ index: w.index, filter: w.filter }));
  }
}
