import type { JsonObject } from '../schema/json-object.js';
import { sameJson } from '../schema/json-object.js';
import type { RunState } from '../schema/run-events.js';
import { SeriesArena } from '../windows/arena.js';
import type { SeriesLayout, WindowReader } from '../windows/layout.js';
import { MetricPlan } from '../windows/metric-plan.js';
import { MetricSeries } from '../windows/metric-series.js';
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
    series.push([run.place.plan.nameOf(slot), view.save(idOf)]);
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

/**
 * Runs by entity, then project, then run id: nested maps, so finding a run builds no key string. Series and
 * ring bytes are counted as they come and go, so stats() need not walk the runs.
 */
export class RunStore<W extends WindowReader = WindowReader> {
  readonly #entities = new Map<string, Map<string, Place<W>>>();
  #size = 0;
  seriesCount = 0;
  /** Where every series keeps its numbers. */
  readonly arena = new SeriesArena();
  /** The view `seriesFor` answers with, made on first use. */
  #view: MetricSeries<W> | undefined;

  /** Bytes of all series' blocks. */
  get ringBytes(): number {
    return this.arena.used * 8;
  }

  /**
   * Roughly the bytes it holds, in O(1): the arena's slabs and handle table exactly, and per run its record,
   * series array, id and map entry (about 500 bytes with 12 series, measured with bench/memory.ts).
   */
  get bytesEstimate(): number {
    return this.#size * 500 + this.arena.bytes;
  }

  get size(): number {
    return this.#size;
  }

  get(entity: string, project: string, runId: string): RunRecord<W> | undefined {
    return this.#entities.get(entity)?.get(project)?.runs.get(runId);
  }

  /** The run an event names, created if new, with the latest name, user, tags and config the event gives. */
  identify(
    data: {
      readonly entity: string;
      readonly project: string;
      readonly runId: string;
      readonly runName?: string;
      readonly user?: string;
      readonly tags?: readonly string[];
      readonly config?: JsonObject;
    },
    time: number,
  ): RunRecord<W> {
    const run = this.getOrCreate(data.entity, data.project, data.runId);
    if (time > run.lastSeen) run.lastSeen = time;
    const { runName, user, tags, config } = data;
    if (runName !== undefined && runName !== run.runName) {
      run.runName = runName;
      run.revision += 1;
    }
    if (user !== undefined && user !== run.user) {
      run.user = user;
      run.revision += 1;
    }
    // Rare (most rows carry neither): compared, so a row that repeats them keeps the run's filter verdicts.
    if (tags !== undefined && !sameJson(tags, run.tags)) {
      run.tags = Object.freeze([...tags]);
      run.revision += 1;
    }
    if (config !== undefined && !sameJson(config, run.config)) {
      run.config = config;
      run.revision += 1;
    }
    return run;
  }

  getOrCreate(entity: string, project: string, runId: string): RunRecord<W> {
    let projects = this.#entities.get(entity);
    if (projects === undefined) {
      projects = new Map();
      this.#entities.set(entity, projects);
    }
    let place = projects.get(project);
    if (place === undefined) {
      place = new Place<W>(entity, project, this.arena);
      projects.set(project, place);
    }
    let run = place.runs.get(runId);
    if (run === undefined) {
      run = new RunRecord<W>(place, runId);
      place.runs.set(runId, run);
      this.#size += 1;
    }
    return run;
  }

  *values(): IterableIterator<RunRecord<W>> {
    for (const projects of this.#entities.values())
      for (const place of projects.values()) yield* place.runs.values();
  }

  /** Count a series the caller put in `run.series`. */
  added(): void {
    this.seriesCount += 1;
  }

  /**
   * The series of `run` at `slot`, shown by the store's one view (valid until the next call): made for `layout`
   * on its first value, re-laid when its layout is not `layout` any more.
   */
  seriesFor(run: RunRecord<W>, slot: number, layout: SeriesLayout<W>): MetricSeries<W> {
    const h = run.series[slot];
    let view = this.#view;
    if (h === undefined) {
      // Sized once for the slots the place has: a grown array would keep up to 16 empty slots more.
      if (run.series.length === 0) run.series = new Array(Math.max(slot + 1, run.place.plan.size));
      if (view === undefined) {
        view = new MetricSeries(this.arena, layout);
        this.#view = view;
      } else {
        view.create(layout);
      }
      run.series[slot] = view.handle;
      this.seriesCount += 1;
      return view;
    }
    if (view === undefined) {
      view = new MetricSeries<W>(this.arena, h);
      this.#view = view;
    } else {
      view.bind(h);
    }
    if (view.layout !== layout) view.migrate(layout);
    return view;
  }

  delete(run: RunRecord<W>): void {
    const place = run.place;
    if (place.runs.get(run.runId) !== run) return;
    place.runs.delete(run.runId);
    this.#size -= 1;
    for (const h of run.series) {
      if (h === undefined) continue;
      this.seriesCount -= 1;
      MetricSeries.free(this.arena, h);
    }
    if (place.runs.size > 0) return;
    const projects = this.#entities.get(place.entity);
    projects?.delete(place.project);
    if (projects?.size === 0) this.#entities.delete(place.entity);
  }

  /** Put back a saved run but its series, which the caller rebuilds (it knows the watchers). */
  load(saved: SavedRun): RunRecord<W> {
    const run = this.getOrCreate(saved.entity, saved.project, saved.runId);
    run.runName = saved.runName;
    run.user = saved.user;
    run.tags = saved.tags === undefined ? undefined : Object.freeze([...saved.tags]);
    run.config = saved.config;
    run.revision += 1;
    for (const [id, time] of saved.lastFired) run.firedTimes().set(id, time);
    run.state = saved.state;
    run.stateSequence = saved.stateSequence;
    run.stateTime = saved.stateTime;
    run.lastSeen = saved.lastSeen;
    return run;
  }
}
