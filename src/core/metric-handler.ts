import { issue } from '../errors/issue.js';
import type { AcceptedEvent } from '../events/parse-event.js';
import { compileMetricFilter } from '../filters/compile-metric-filter.js';
import { compileRunTest } from '../filters/run-filter.js';
import { MetricIndex } from '../routing/metric-index.js';
import type { MetricWatcher } from '../routing/watcher.js';
import type { Automation } from '../schema/automation.js';
import type { RunRecord } from '../state/run-record.js';
import { type BindingSlot, SeriesLayout } from '../windows/layout.js';
import { UNWATCHED } from '../windows/metric-plan.js';
import { MetricSeries } from '../windows/metric-series.js';
import type { SeriesState } from '../windows/series-state.js';
import type { Firing } from './firing.js';
import { type Handler, type Installed, wrongFamily } from './installed.js';
import type { RunContext } from './run-context.js';
import { type RunProfile, RunProfiles } from './run-profiles.js';
import { seriesMatches } from './series-matches.js';

/** Run metric automations: per (run, metric) series shared by every automation that watches them (§3). */
export class MetricHandler implements Handler {
  readonly #index = new MetricIndex();
  readonly #profiles = new RunProfiles();
  readonly #c: RunContext;
  /** Binding indices of one value's matches: reused, grown to the largest layout's bindings. */
  #hits = new Int32Array(64);

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
    run.series[slot] = MetricSeries.load(saved, this.#c.runs.arena, layout, idOf).handle;
    this.#c.runs.added();
  }

  handle(accepted: AcceptedEvent, out: Firing[]): void {
    if (accepted.kind !== 'run.metrics') return;
    const data = accepted.data;
    const { entity, project, step, metrics } = data;
    const c = this.#c;
    const run = c.runs.identify(data, accepted.time);
    const index = this.#index;
    const plan = run.place.plan;
    plan.refresh(index, entity, project);
    // Run filters first: the run's series are laid out for the watchers that admit it, asked once per revision.
    const profile = this.#profiles.of(run, index);
    if (this.#profiles.changed) this.#follow(run, profile);
    const names = accepted.names ?? Object.keys(metrics);
    const slots = plan.slotsOf(names, index, entity, project);
    for (let k = 0; k < names.length; k++) {
      const slot = slots[k] as number;
      if (slot === UNWATCHED) continue;
      const name = names[k] as string;
      const full = plan.layout(slot);
      // A series nobody watches any more is left as it was: values are applied only while watched.
      if (full === undefined) continue;
      const layout = profile.layout(slot, full);
      const series = c.runs.seriesFor(run, slot, layout);
      if (step !== undefined) {
        if (series.lastStep >= step) {
          this.#stale(accepted, name, step, series.lastStep);
          continue;
        }
        series.lastStep = step;
      }
      const value = metrics[name] as number;
      const finite = Number.isFinite(value);
      if (finite) series.push(value);
      let hits = this.#hits;
      if (hits.length < layout.bindings.length) {
        hits = new Int32Array(layout.bindings.length * 2);
        this.#hits = hits;
      }
      const n = seriesMatches(layout, series, value, finite, hits);
      for (let h = 0; h < n; h++) {
        const i = hits[h] as number;
        const a = layout.reads[2 * i] as number;
        const b = layout.reads[2 * i + 1] as number;
        this.#matched(
          accepted,
          run,
          series,
          layout.bindings[i] as BindingSlot<MetricWatcher>,
          a,
          b,
          value,
          out,
        );
      }
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
    accepted: AcceptedEvent,
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
    if (firer.holdsQuietly(watcher.automation, run, accepted.time)) return;
    const evidence = watcher.filter.evidence(series, a, b, value);
    const h = series.handle;
    const firing = firer.fire(watcher.automation, accepted, run, { evidence });
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
