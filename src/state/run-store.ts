import { sameJson } from '../schema/json-object.js';
import type { RunIdentity } from '../schema/run-events.js';
import { SeriesArena } from '../windows/arena.js';
import type { SeriesLayout, WindowReader } from '../windows/layout.js';
import { MetricSeries } from '../windows/metric-series.js';
import { Place, RunRecord } from './run-record.js';
import type { SavedRun } from './saved-run.js';

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
  identify(data: RunIdentity, time: number): RunRecord<W> {
    const run = this.getOrCreate(data.entity, data.project, data.runId);
    this.update(run, data, time);
    return run;
  }

  /** Whether `data` would change what the run is (name, user, tags, config): `update` then takes a revision. */
  changes(run: RunRecord<W>, data: RunIdentity): boolean {
    const { runName, user, tags, config } = data;
    return (
      (runName !== undefined && runName !== run.runName) ||
      (user !== undefined && user !== run.user) ||
      // Rare (most rows carry neither): compared, so a row that repeats them keeps the run's filter verdicts.
      (tags !== undefined && !sameJson(tags, run.tags)) ||
      (config !== undefined && !sameJson(config, run.config))
    );
  }

  /** Take the latest name, user, tags and config `data` gives, and its time, into the run. */
  update(run: RunRecord<W>, data: RunIdentity, time: number): void {
    if (time > run.lastSeen) run.lastSeen = time;
    if (!this.changes(run, data)) return;
    const { runName, user, tags, config } = data;
    if (runName !== undefined && runName !== run.runName) {
      run.runName = runName;
      run.revision += 1;
    }
    if (user !== undefined && user !== run.user) {
      run.user = user;
      run.revision += 1;
    }
    if (tags !== undefined && !sameJson(tags, run.tags)) {
      run.tags = Object.freeze([...tags]);
      run.revision += 1;
    }
    if (config !== undefined && !sameJson(config, run.config)) {
      run.config = config;
      run.revision += 1;
    }
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
