import type { RunState } from '../schema/run-events.js';
import type { MetricSeries } from './metric-series.js';

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

  constructor(entity: string, project: string, runId: string) {
    this.entity = entity;
    this.project = project;
    this.runId = runId;
  }
}

/** Runs by (entity, project, runId). */
export class RunStore {
  readonly #runs = new Map<string, RunRecord>();

  get size(): number {
    return this.#runs.size;
  }

  get(entity: string, project: string, runId: string): RunRecord | undefined {
    return this.#runs.get(runKey(entity, project, runId));
  }

  /** The run an event names, created if new, with the latest name and user the event gives. */
  identify(data: {
    entity: string;
    project: string;
    runId: string;
    runName?: string;
    user?: string;
  }): RunRecord {
    const run = this.getOrCreate(data.entity, data.project, data.runId);
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
}

/** Names cannot hold "/" but run ids can, so the separator is a character no name is made of. */
function runKey(entity: string, project: string, runId: string): string {
  return `${entity}\u0000${project}\u0000${runId}`;
}
