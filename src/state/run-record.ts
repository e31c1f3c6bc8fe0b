import type { JsonObject } from '../schema/json-object.js';
import type { RunState } from '../schema/run-events.js';
import type { SeriesArena } from '../windows/arena.js';
import type { WindowReader } from '../windows/layout.js';
import { MetricPlan, type MetricShape } from '../windows/metric-plan.js';
import { MetricSeries } from '../windows/metric-series.js';
import { saveSeries } from '../windows/saved-series.js';
import type { SeriesState } from '../windows/series-state.js';
import type { Deadline } from './deadline-heap.js';
import type { SavedRun } from './saved-run.js';

/** One (entity, project): its runs by id, and the numbering of its watched metrics that their series follow. */
export class Place<W extends WindowReader = WindowReader> {
  readonly entity: string;
  readonly project: string;
  readonly runs = new Map<string, RunRecord<W>>();
  readonly plan = new MetricPlan<W>();
  /** Where its runs' series are. */
  readonly arena: SeriesArena;

  constructor(entity: string, project: string, arena: SeriesArena) {
    this.entity = entity;
    this.project = project;
    this.arena = arena;
  }
}

/** Run-filter verdicts as a run keeps them: taken at `revision` of the run, under `version` of the automations. */
export interface RunVerdicts {
  readonly revision: number;
  readonly version: number;
}

/** What the engine keeps of one run: its identity, its watched series, and when each automation last fired for it. */
export class RunRecord<W extends WindowReader = WindowReader> {
  readonly place: Place<W>;
  readonly runId: string;
  runName: string | undefined;
  user: string | undefined;
  /** The latest tags and config any of its events gave; missing until one does (§3.5). */
  tags: readonly string[] | undefined;
  config: JsonObject | undefined;
  /** Changes whenever its name, user, tags, config or state does: run filters keep their verdict until then. */
  revision = 0;
  /** Series handles (see MetricSeries) by the place's metric slot (see MetricPlan): numbers, not objects. */
  series: (number | undefined)[] = [];
  /** Automation id → event time of its last firing for this run; undefined until one fires (most never do). */
  lastFired: Map<string, number> | undefined;
  /** The last applied state, and the sequence and time of the event that set it (for staleness). */
  state: RunState | undefined;
  stateSequence: number | undefined;
  stateTime: number | undefined;
  /** The latest event time seen for this run: idle runs are evicted by it. */
  lastSeen = Number.NEGATIVE_INFINITY;
  /** Stall triggers' marks by automation id; undefined until one watches the run. */
  stalls: Map<string, StallMark> | undefined;
  /** The run-filter verdicts its metric series follow, and the revision they were taken at (core/run-profiles). */
  verdicts: RunVerdicts | undefined;
  /** The metric names its last row listed, with their slots in the place's plan (shared by runs that list the same). */
  shape: MetricShape | undefined;
  /** Its number among the runs with rows staged in a grouped batch, or -1 (core/staged-rows: a field, not a Map). */
  staged = -1;

  constructor(place: Place<W>, runId: string) {
    this.place = place;
    this.runId = runId;
  }

  // The place's, not copies: two fields fewer on each of a million runs.
  get entity(): string {
    return this.place.entity;
  }

  get project(): string {
    return this.place.project;
  }

  /** Its `lastFired`, made on first use. */
  firedTimes(): Map<string, number> {
    if (this.lastFired === undefined) this.lastFired = new Map();
    return this.lastFired;
  }
}

/** One stall automation's watch on one run: its last row, and its deadline while armed (in the heap). */
export interface StallMark extends Deadline {
  readonly run: RunRecord;
  /** The installed watcher it was armed for: a replaced watcher's marks are dropped when met. */
  readonly owner: object;
  last: number;
  step: number | undefined;
}

export function saveRun<W extends WindowReader>(
  run: RunRecord<W>,
  idOf: (watcher: W) => string | undefined,
): SavedRun {
  const series: [string, SeriesState][] = [];
  let view: MetricSeries<W> | undefined;
  run.series.forEach((h, slot) => {
    if (h === undefined) return;
    if (view === undefined) view = new MetricSeries<W>(run.place.arena, h);
    else view.bind(h);
    series.push([run.place.plan.nameOf(slot), saveSeries(view, idOf)]);
  });
  return {
    entity: run.entity,
    project: run.project,
    runId: run.runId,
    ...(run.runName !== undefined && { runName: run.runName }),
    ...(run.user !== undefined && { user: run.user }),
    ...(run.tags !== undefined && { tags: [...run.tags] }),
    ...(run.config !== undefined && { config: run.config }),
    lastFired: run.lastFired === undefined ? [] : [...run.lastFired],
    ...(run.state !== undefined && { state: run.state }),
    ...(run.stateSequence !== undefined && { stateSequence: run.stateSequence }),
    ...(run.stateTime !== undefined && { stateTime: run.stateTime }),
    lastSeen: run.lastSeen,
    series,
  };
}
