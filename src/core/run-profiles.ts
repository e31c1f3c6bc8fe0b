import type { Test } from '../filters/run-filter.js';
import type { MetricIndex } from '../routing/metric-index.js';
import type { MetricWatcher } from '../routing/watcher.js';
import type { RunRecord, RunVerdicts } from '../state/run-record.js';
import { SeriesLayout } from '../windows/layout.js';

/**
 * What one run's run-filter verdicts make of its project's layouts: each series laid out for the watchers that
 * admit the run only. Runs of a project with the same verdicts share a profile, and so their layouts.
 */
export class RunProfile {
  /** The watchers whose run filter excludes the run; undefined when none does. */
  readonly #excluded: ReadonlySet<MetricWatcher> | undefined;
  /** By slot of the project's plan: the full layout last seen there and this profile's layout of it. */
  readonly #full: (SeriesLayout<MetricWatcher> | undefined)[] = [];
  readonly #layouts: SeriesLayout<MetricWatcher>[] = [];
  readonly #shared: SharedLayouts;

  constructor(excluded: ReadonlySet<MetricWatcher> | undefined, shared: SharedLayouts) {
    this.#excluded = excluded;
    this.#shared = shared;
  }

  /**
   * The layout for this run of the series in `slot`, which its project lays out as `full`: without the excluded
   * watchers, or the empty layout when none is left (the series then keeps no window, only its step).
   */
  layout(slot: number, full: SeriesLayout<MetricWatcher>): SeriesLayout<MetricWatcher> {
    const excluded = this.#excluded;
    if (excluded === undefined) return full;
    if (this.#full[slot] === full) return this.#layouts[slot] as SeriesLayout<MetricWatcher>;
    const layout = this.#shared.without(full, excluded);
    this.#full[slot] = full;
    this.#layouts[slot] = layout;
    return layout;
  }
}

/**
 * Layouts of a full layout without some of its watchers, by which ones: profiles that differ only in filters of
 * other metrics share them, and so do their runs' series.
 */
class SharedLayouts {
  readonly empty = new SeriesLayout<MetricWatcher>([]);
  readonly #byFull = new WeakMap<SeriesLayout<MetricWatcher>, Map<string, SeriesLayout<MetricWatcher>>>();

  /** `full` without the watchers in `excluded`; the empty layout when none is left. */
  without(
    full: SeriesLayout<MetricWatcher>,
    excluded: ReadonlySet<MetricWatcher>,
  ): SeriesLayout<MetricWatcher> {
    let key = '';
    const admitted: MetricWatcher[] = [];
    full.watchers.forEach((w, i) => {
      if (excluded.has(w)) key += `${i},`;
      else admitted.push(w);
    });
    if (key === '') return full;
    if (admitted.length === 0) return this.empty;
    let layouts = this.#byFull.get(full);
    if (layouts === undefined) {
      layouts = new Map();
      this.#byFull.set(full, layouts);
    }
    let layout = layouts.get(key);
    if (layout === undefined) {
      layout = new SeriesLayout(admitted);
      layouts.set(key, layout);
    }
    return layout;
  }
}

/** One project's profiles at one index version: its distinct run filters and the profiles by verdicts. */
type PlaceProfiles = {
  readonly version: number;
  readonly filters: readonly { readonly test: Test; readonly watchers: readonly MetricWatcher[] }[];
  readonly profiles: Map<string, RunProfile>;
};

/** A run's verdicts: kept on the run itself (a field, not a WeakMap entry a collection must trace per run). */
type Entry = RunVerdicts & { readonly place: PlaceProfiles; readonly profile: RunProfile };

/**
 * Each run's profile, kept until the run's revision (name, user, tags, config, state) or the index changes:
 * a run filter is asked once per run and revision, never per value, and an excluded run costs its excluded
 * watchers nothing. Filters with the same JSON are asked once.
 */
export class RunProfiles {
  readonly #shared = new SharedLayouts();
  readonly #all = new RunProfile(undefined, this.#shared);
  readonly #places = new WeakMap<object, PlaceProfiles>();
  /** Whether the last `of` gave a run another profile than it had: its series must then follow at once. */
  changed = false;

  /** The run's profile now. */
  of(run: RunRecord<MetricWatcher>, index: MetricIndex): RunProfile {
    // Only this class writes `verdicts`, always as an Entry.
    const entry = run.verdicts as Entry | undefined;
    this.changed = false;
    if (entry !== undefined && entry.revision === run.revision && entry.version === index.version)
      return entry.profile;
    const place = this.#place(run, index);
    const profile = this.#profileOf(run, place);
    const next: Entry = { place, revision: run.revision, version: index.version, profile };
    run.verdicts = next;
    // A run seen first (or restored) follows too: a restored run's series are laid out for every watcher.
    this.changed = entry === undefined || entry.profile !== profile;
    return profile;
  }

  /** The project's distinct run filters at the index's version. */
  #place(run: RunRecord<MetricWatcher>, index: MetricIndex): PlaceProfiles {
    const plan = run.place.plan;
    const known = this.#places.get(plan);
    if (known !== undefined && known.version === index.version) return known;
    const byKey = new Map<string, { test: Test; watchers: MetricWatcher[] }>();
    for (const w of index.filtered(run.entity, run.project)) {
      const key = w.runFilterKey as string;
      const group = byKey.get(key);
      if (group === undefined) byKey.set(key, { test: w.runTest as Test, watchers: [w] });
      else group.watchers.push(w);
    }
    const place = { version: index.version, filters: [...byKey.values()], profiles: new Map() };
    this.#places.set(plan, place);
    return place;
  }

  #profileOf(run: RunRecord<MetricWatcher>, place: PlaceProfiles): RunProfile {
    let verdicts = '';
    let all = true;
    for (const f of place.filters) {
      const admits = f.test(run);
      verdicts += admits ? '1' : '0';
      all &&= admits;
    }
    if (all) return this.#all;
    let profile = place.profiles.get(verdicts);
    if (profile === undefined) {
      const excluded = new Set<MetricWatcher>();
      place.filters.forEach((f, i) => {
        if (verdicts[i] === '0') for (const w of f.watchers) excluded.add(w);
      });
      profile = new RunProfile(excluded, this.#shared);
      place.profiles.set(verdicts, profile);
    }
    return profile;
  }
}
