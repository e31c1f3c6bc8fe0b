import { issue } from '../errors/issue.js';
import { valuesOf } from '../events/fast-run-metrics.js';
import type { AcceptedEvent } from '../events/parse-event.js';
import { compileMetricFilter } from '../filters/compile-metric-filter.js';
import { compileRunTest } from '../filters/run-filter.js';
import { MetricIndex } from '../routing/metric-index.js';
import type { MetricWatcher } from '../routing/watcher.js';
import type { Automation } from '../schema/automation.js';
import type { RunRecord } from '../state/run-record.js';
import { type BindingSlot, SeriesLayout } from '../windows/layout.js';
import { UNWATCHED } from '../windows/metric-plan.js';
import type { MetricSeries } from '../windows/metric-series.js';
import { loadSeries } from '../windows/saved-series.js';
import type { SeriesState } from '../windows/series-state.js';
import { AppliedNow } from './applied-now.js';
import type { Firing } from './firing.js';
import { type Handler, type Installed, wrongFamily } from './installed.js';
import type { RowEvent, ValueSink } from './row-values.js';
import type { RunContext } from './run-context.js';
import { type RunProfile, RunProfiles } from './run-profiles.js';
import { seriesMatches } from './series-matches.js';

type Run = RunRecord<MetricWatcher>;
type MetricsRow = AcceptedEvent & { readonly kind: 'run.metrics' };

/** Run metric automations: per (run, metric) series shared by every automation that watches them (§3). */
export class MetricHandler implements Handler {
  readonly #index = new MetricIndex();
  readonly #profiles = new RunProfiles();
  readonly #c: RunContext;
  /** Binding indices of one value's matches: reused, grown to the largest layout's bindings. */
  #hits = new Int32Array(64);
  /** A row's values when the fast path did not read them: reused, grown to the longest row. */
  #scratch = new Float64Array(64);
  /** The sink of `handle`: a row's values applied as they come (one object, reused). */
  readonly #now = new AppliedNow();

  constructor(context: RunContext) {
    this.#c = context;
  }

  install(automation: Automation): Installed {
    const event = automation.event;
    if (event.type !== 'OnRunMetric') throw wrongFamily(automation, 'metric');
    const index = this.#index;
    const watcher: MetricWatcher & Installed = {
      automation,
      scope: event.scope,
      filter: compileMetricFilter(event.filter),
      runTest: compileRunTest(event.runFilter, this.#c.patterns),
      runFilterKey: event.runFilter === undefined ? undefined : JSON.stringify(event.runFilter),
      uninstall: () => index.remove(watcher),
    };
    index.add(watcher);
    return watcher;
  }

  /**
   * A saved series, laid out for the watchers installed now (bound by automation id). One nobody watches now
   * keeps its saved shape, as it would have stayed in the engine that saved it.
   */
  loadSeries(
    run: RunRecord<MetricWatcher>,
    metric: string,
    saved: SeriesState,
    idOf: (w: MetricWatcher) => string,
  ): void {
    const plan = run.place.plan;
    plan.refresh(this.#index, run.entity, run.project);
    const slot = plan.slotOf(metric, this.#index, run.entity, run.project, true);
    // Laid out for every watcher, not the run's verdicts now: a saved binding says its watcher admitted the run at
    // its last row, and the run's next row makes its series follow the verdicts then, as if it had not stopped.
    const layout =
      plan.layout(slot) ?? new SeriesLayout<MetricWatcher>([], saved.aggregates, saved.ring.capacity);
    run.series[slot] = loadSeries(saved, this.#c.runs.arena, layout, idOf).handle;
    this.#c.runs.added();
  }

  handle(accepted: AcceptedEvent, out: Firing[]): void {
    if (accepted.kind !== 'run.metrics') return;
    const run = this.stage(accepted);
    // Re-entered only by a listener that ingests while this row fires: then a sink of its own.
    const now = this.#now.busy ? new AppliedNow() : this.#now;
    now.begin(this, accepted, run, this.#profiles.of(run, this.#index), out);
    try {
      this.stageValues(accepted, run, now);
    } finally {
      now.end();
    }
  }

  /**
   * A row's first half, in event order: its run, named as the row says, and the run's profile, its series
   * re-laid when the profile changed. In a grouped batch, `settle(run)` first applies the rows staged so far
   * when this row changes the run (its name, user, tags or config): its staged rows see the run as it was. Only
   * such a change, or a change of the automations (which applies the staged rows first), changes a profile.
   */
  stage(accepted: MetricsRow, settle?: (run: Run) => void): Run {
    const data = accepted.data;
    const runs = this.#c.runs;
    const run = runs.getOrCreate(data.entity, data.project, data.runId);
    if (settle !== undefined && runs.changes(run, data)) settle(run);
    runs.update(run, data, accepted.time);
    const index = this.#index;
    run.place.plan.refresh(index, data.entity, data.project);
    // Run filters first: the run's series are laid out for the watchers that admit it, asked once per revision.
    const profile = this.#profiles.of(run, index);
    if (this.#profiles.changed) this.#follow(run, profile);
    return run;
  }

  /** The row's watched values, each with its metric's slot in the project, to `into`, in the row's order. */
  stageValues(accepted: MetricsRow, run: Run, into: ValueSink): void {
    const { entity, project, metrics } = accepted.data;
    const plan = run.place.plan;
    const names = accepted.names ?? Object.keys(metrics);
    const shape = plan.shapeOf(names, run.shape, this.#index, entity, project);
    run.shape = shape;
    const slots = shape.slots;
    // The numbers the fast path read, while still its last row's; any other row's are read out once, here.
    const read = into.own(
      (accepted.names === undefined ? undefined : valuesOf(accepted)) ?? this.#readOut(metrics, names),
      names.length,
    );
    for (let k = 0; k < names.length; k++) {
      const slot = slots[k] as number;
      // A series nobody watches any more is left as it was: values are applied only while watched.
      if (slot === UNWATCHED || plan.layout(slot) === undefined) continue;
      into.value(slot, read, k);
    }
  }

  /** A row's metric values in `names` order, in the handler's scratch array (valid until the next row). */
  #readOut(metrics: Readonly<Record<string, number>>, names: readonly string[]): Float64Array {
    if (this.#scratch.length < names.length) this.#scratch = new Float64Array(names.length * 2);
    const scratch = this.#scratch;
    for (let k = 0; k < names.length; k++) scratch[k] = metrics[names[k] as string] as number;
    return scratch;
  }

  /**
   * A row's second half, its values (from `stageValues`) from `from` to `to` of `slots` and `values`: each into
   * its series, and what it matches. `row` gives the row's event when a stale step or a match needs it.
   */
  applyValues(
    run: Run,
    step: number | undefined,
    slots: ArrayLike<number>,
    values: Float64Array,
    from: number,
    to: number,
    row: RowEvent,
    out: Firing[],
  ): void {
    // Known since `stage`: nothing between the two halves of a row changes the run or the automations.
    const profile = this.#profiles.of(run, this.#index);
    for (let v = from; v < to; v++)
      this.applyValue(run, profile, slots[v] as number, values, v, step, row, out);
  }

  /**
   * One value of a row, `values[v]`, into its series (the run's, at `slot`, laid out for `profile`), and what it
   * matches. The value is read here, not passed: a number passed to a call is boxed.
   */
  applyValue(
    run: Run,
    profile: RunProfile,
    slot: number,
    values: Float64Array,
    v: number,
    step: number | undefined,
    row: RowEvent,
    out: Firing[],
  ): void {
    const plan = run.place.plan;
    const layout = profile.layout(slot, plan.layout(slot) as SeriesLayout<MetricWatcher>);
    const series = this.#c.runs.seriesFor(run, slot, layout);
    if (step !== undefined) {
      if (series.lastStep >= step) {
        this.#stale(row.event(), plan.nameOf(slot), step, series.lastStep);
        return;
      }
      series.lastStep = step;
    }
    const value = values[v] as number;
    const finite = Number.isFinite(value);
    if (finite) series.pushAt(values, v);
    let hits = this.#hits;
    if (hits.length < layout.bindings.length) {
      hits = new Int32Array(layout.bindings.length * 2);
      this.#hits = hits;
    }
    const n = seriesMatches(layout, series, values, v, finite, hits);
    for (let h = 0; h < n; h++) {
      const i = hits[h] as number;
      const binding = layout.bindings[i] as BindingSlot<MetricWatcher>;
      const a = layout.reads[2 * i] as number;
      const b = layout.reads[2 * i + 1] as number;
      this.#matched(row, run, series, binding, a, b, value, out);
    }
  }

  /**
   * The run's verdicts changed: every series follows now, so a watcher that stops admitting the run loses its
   * windows, and one that starts admitting it begins at the next value, whichever metrics the next rows log.
   */
  #follow(run: RunRecord<MetricWatcher>, profile: RunProfile): void {
    const plan = run.place.plan;
    const runs = this.#c.runs;
    run.series.forEach((h, slot) => {
      const full = plan.layout(slot);
      // The store's view re-lays the series when the layout differs; the handle stays the series'.
      if (h !== undefined && full !== undefined) runs.seriesFor(run, slot, profile.layout(slot, full));
    });
  }

  /** Off the hot path: a match is rare, so its evidence and firing are built here, and only if not held back. */
  #matched(
    row: RowEvent,
    run: RunRecord<MetricWatcher>,
    series: MetricSeries<MetricWatcher>,
    binding: BindingSlot<MetricWatcher>,
    a: number,
    b: number,
    value: number,
    out: Firing[],
  ): void {
    const watcher = binding.watcher;
    const firer = this.#c.firer;
    if (firer.holdsQuietly(watcher.automation, run, row.time())) return;
    const evidence = watcher.filter.evidence(series, a, b, value);
    const h = series.handle;
    const firing = firer.fire(watcher.automation, row.event(), run, { evidence });
    if (firing !== undefined) out.push(firing);
    // A listener may have ingested (re-entrantly) while it fired: the store's one view may show another series.
    if (series.handle !== h) series.bind(h);
  }

  #stale(accepted: AcceptedEvent, name: string, step: number, lastStep: number): void {
    this.#c.counters.stale += 1;
    this.#c.report({
      ...issue(
        'out_of_order',
        ['data', 'step'],
        `step ${step} is not after step ${lastStep} of ${name}`,
        step,
      ),
      eventId: accepted.id,
      source: accepted.source,
    });
  }
}
