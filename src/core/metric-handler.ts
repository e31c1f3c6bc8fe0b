import { issue } from '../errors/issue.js';
import type { AcceptedEvent } from '../events/parse-event.js';
import { compileMetricFilter } from '../filters/compile-metric-filter.js';
import type { CompiledMetricFilter } from '../filters/compiled-metric-filter.js';
import { compileRunFilter } from '../filters/run-filter.js';
import { compare } from '../filters/threshold.js';
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

/** Run metric automations: per (run, metric) series shared by every automation that watches them (§3). */
export class MetricHandler implements Handler {
  readonly #index = new MetricIndex();
  readonly #c: RunContext;

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
      runFilter: compileRunFilter(event.runFilter, this.#c.patterns),
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
    const names = accepted.names ?? Object.keys(metrics);
    const slots = plan.slotsOf(names, index, entity, project);
    for (let k = 0; k < names.length; k++) {
      const slot = slots[k] as number;
      if (slot === UNWATCHED) continue;
      const name = names[k] as string;
      const layout = plan.layout(slot);
      // A series nobody watches any more is left as it was: values are applied only while watched.
      if (layout === undefined) continue;
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
      // Binding i's first index is at block offset i; its history and reads are packed in the layout.
      const { histories, reads, ops, thresholds } = layout;
      const filled = series.count;
      const block = series.data;
      const base = series.base;
      for (let i = 0; i < histories.length; i++) {
        const history = histories[i] as number;
        if (finite) {
          if (history < 0 || filled - (block[base + i] as number) < history) continue;
        } else if (history >= 0) continue;
        const a = reads[2 * i] as number;
        const b = reads[2 * i + 1] as number;
        // A plain threshold on the value is tested here, without a call; any other filter tests itself.
        const op = ops[i] as number;
        const hit =
          op >= 0
            ? compare(value, op, thresholds[i] as number)
            : (layout.filters[i] as CompiledMetricFilter).matches(series, a, b, value);
        if (!hit) continue;
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
    if (!watcher.runFilter(run)) return;
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
