import { issue } from '../errors/issue.js';
import type { AcceptedEvent } from '../events/parse-event.js';
import { compileMetricFilter } from '../filters/compile-metric-filter.js';
import { compileRunFilter } from '../filters/run-filter.js';
import { MetricIndex } from '../routing/metric-index.js';
import type { MetricWatcher } from '../routing/watcher.js';
import type { Automation } from '../schema/automation.js';
import { MetricSeries, type SeriesState } from '../state/metric-series.js';
import type { Firing } from './firing.js';
import type { Handler, Installed } from './installed.js';
import type { RunContext } from './run-context.js';

/** Run metric automations: per (run, metric) series shared by every automation that watches them (§3). */
export class MetricHandler implements Handler {
  readonly #index = new MetricIndex();
  readonly #c: RunContext;

  constructor(context: RunContext) {
    this.#c = context;
  }

  install(automation: Automation): Installed | undefined {
    const event = automation.event;
    if (event.type !== 'OnRunMetric') return undefined;
    const index = this.#index;
    const watcher: MetricWatcher & Installed = {
      automation,
      scope: event.scope,
      filter: compileMetricFilter(event.filter),
      runFilter: compileRunFilter(event.runFilter, this.#c.patterns),
      uninstall: () => index.remove(watcher.automation.id, watcher.scope, watcher.filter.metric),
    };
    index.add(watcher);
    return watcher;
  }

  /** A saved series, bound to the watchers installed now (by automation id). */
  loadSeries(entity: string, project: string, metric: string, saved: SeriesState): MetricSeries {
    const watchers = this.#index.watchers(entity, project, metric);
    return MetricSeries.load(saved, (id) => watchers.find((w) => w.automation.id === id));
  }

  handle(accepted: AcceptedEvent, out: Firing[]): void {
    if (accepted.kind !== 'run.metrics') return;
    const data = accepted.data;
    const { entity, project, step } = data;
    const run = this.#c.runs.identify(data, accepted.time);
    const index = this.#index;
    for (const name in data.metrics) {
      const value = data.metrics[name] as number;
      let series = run.series.get(name);
      if (series === undefined) {
        if (index.watchers(entity, project, name).length === 0) continue;
        series = new MetricSeries();
        this.#c.runs.seriesCount += 1;
        this.#c.runs.ringBytes += series.ring.bytes;
        run.series.set(name, series);
      }
      if (series.version !== index.version) {
        const before = series.ring.bytes;
        series.rebind(index.watchers(entity, project, name), index.version);
        this.#c.runs.ringBytes += series.ring.bytes - before;
      }
      const bindings = series.bindings;
      // A series nobody watches any more is left as it was: values are applied only while watched.
      if (bindings.length === 0) continue;
      if (step !== undefined) {
        if (series.lastStep >= step) {
          this.#c.counters.stale += 1;
          this.#c.report({
            ...issue(
              'out_of_order',
              ['data', 'step'],
              `step ${step} is not after step ${series.lastStep} of ${name}`,
              step,
            ),
            eventId: accepted.event.id,
            source: accepted.event.source,
          });
          continue;
        }
        series.lastStep = step;
      }
      const finite = Number.isFinite(value);
      if (finite) series.push(value);
      const ring = series.ring;
      for (let i = 0; i < bindings.length; i++) {
        const binding = bindings[i]!;
        const watcher = binding.watcher;
        const filter = watcher.filter;
        if (filter.nonFinite === finite) continue;
        if (finite && ring.count - binding.firstIndex < filter.history) continue;
        const evidence = filter.evaluate(ring, binding.aggregates, value);
        if (evidence === undefined || !watcher.runFilter(run)) continue;
        const firing = this.#c.firer.fire(watcher.automation, accepted, run, { evidence });
        if (firing !== undefined) out.push(firing);
      }
    }
  }
}
