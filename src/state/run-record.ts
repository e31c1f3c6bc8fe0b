import type { MetricWatcher } from '../routing/watcher.js';
import type { RunState } from '../schema/run-events.js';
import type { MetricSeries, SeriesState } from './metric-series.js';

/** What the engine keeps of one run: its identity, its watched series, and when each automation last fired for it. */
export class RunRecord {
  readonly entity: string;
  readonly project: string;
  readonly runId: string;
  runName: string | undefined;
  user: string | undefined;
  readonly series = new Map<string, MetricSeries>();
  /** Automation id → event time of its last firing for this run. */
  readonly lastFired = new Map<string, number>();
  /** The last applied state, and the sequence and time of the event that set it (for staleness). */
  state: RunState | undefined;
  stateSequence: number | undefined;
  stateTime: number | undefined;
  /** The latest event time seen for this run: idle runs are evicted by it. */
  lastSeen = Number.NEGATIVE_INFINITY;

  constructor(entity: string, project: string, runId: string) {
    this.entity = entity;
    this.project = project;
    this.runId = runId;
  }
}

/** A run as saved in a snapshot; maps as pairs, so no name is ever an object key. */
export type SavedRun = {
  readonly entity: string;
  readonly project: string;
  readonly runId: string;
  readonly runName?: string;
  readonly user?: string;
  readonly lastFired: readonly (readonly [string, number])[];
  readonly state?: RunState;
  readonly stateSequence?: number;
  readonly stateTime?: number;
  readonly lastSeen: number;
  readonly series: readonly (readonly [string, SeriesState])[];
};

export function saveRun(run: RunRecord, isCurrent: (watcher: MetricWatcher) => boolean): SavedRun {
  return {
    entity: run.entity,
    project: run.project,
    runId: run.runId,
    ...(run.runName !== undefined && { runName: run.runName }),
    ...(run.user !== undefined && { user: run.user }),
    lastFired: [...run.lastFired],
    ...(run.state !== undefined && { state: run.state }),
    ...(run.stateSequence !== undefined && { stateSequence: run.stateSequence }),
    ...(run.stateTime !== undefined && { stateTime: run.stateTime }),
    lastSeen: run.lastSeen,
    series: [...run.series].map(([metric, series]) => [metric, series.save(isCurrent)] as const),
  };
}

/** Runs by (entity, project, runId). */
export class RunStore {
  readonly #runs = new Map<string, RunRecord>();
  /** Series across all runs, kept as they come and go, so stats() need not walk the runs. */
  seriesCount = 0;
  /** Bytes of all series' rings, kept the same way. */
  ringBytes = 0;

  get size(): number {
    return this.#runs.size;
  }

  get(entity: string, project: string, runId: string): RunRecord | undefined {
    return this.#runs.get(runKey(entity, project, runId));
  }

  /** The run an event names, created if new, with the latest name and user the event gives. */
  identify(
    data: {
      entity: string;
      project: string;
      runId: string;
      runName?: string;
      user?: string;
    },
    time: number,
  ): RunRecord {
    const run = this.getOrCreate(data.entity, data.project, data.runId);
    if (time > run.lastSeen) run.lastSeen = time;
    if (data.runName !== undefined) run.runName = data.runName;
    if (data.user !== undefined) run.user = data.user;
    return run;
  }

  getOrCreate(entity: string, project: string, runId: string): RunRecord {
    const key = runKey(entity, project, runId);
    let run = this.#runs.get(key);
    if (run === undefined) {
      run = new RunRecord(entity, project, runId);
      this.#runs.set(key, run);
    }
    return run;
  }

  values(): IterableIterator<RunRecord> {
    return this.#runs.values();
  }

  delete(run: RunRecord): void {
    if (!this.#runs.delete(runKey(run.entity, run.project, run.runId))) return;
    this.seriesCount -= run.series.size;
    for (const series of run.series.values()) this.ringBytes -= series.ring.bytes;
  }

  /** Put back a saved run; its series are rebuilt by the caller, who knows the watchers. */
  load(saved: SavedRun, series: (metric: string, state: SeriesState) => MetricSeries): RunRecord {
    const run = this.getOrCreate(saved.entity, saved.project, saved.runId);
    run.runName = saved.runName;
    run.user = saved.user;
    for (const [id, time] of saved.lastFired) run.lastFired.set(id, time);
    run.state = saved.state;
    run.stateSequence = saved.stateSequence;
    run.stateTime = saved.stateTime;
    run.lastSeen = saved.lastSeen;
    for (const [metric, state] of saved.series) run.series.set(metric, series(metric, state));
    this.seriesCount += saved.series.length;
    for (const s of run.series.values()) this.ringBytes += s.ring.bytes;
    return run;
  }
}

/** Names cannot hold "/" but run ids can, so the separator is a character no name is made of. */
function runKey(entity: string, project: string, runId: string): string {
  return `${entity}\u0000${project}\u0000${runId}`;
}
