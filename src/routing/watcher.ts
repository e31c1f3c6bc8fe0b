import type { CompiledMetricFilter } from '../filters/compiled-metric-filter.js';
import type { Test } from '../filters/run-filter.js';
import type { Automation } from '../schema/automation.js';
import type { Scope } from '../schema/scope.js';

/** An enabled run metric automation, compiled: what the index hands to a series. */
export interface MetricWatcher {
  /** Replaced in place when an update keeps the event, so the windows bound to this watcher live on. */
  automation: Automation;
  /** The run scope it watches (entity or project), fixed for the life of the watcher. */
  readonly scope: Scope;
  readonly filter: CompiledMetricFilter;
  /**
   * Its run filter, uncached (run profiles keep the verdicts), and the filter's JSON, so watchers with the same
   * filter are asked once per run; undefined when it admits every run.
   */
  readonly runTest: Test | undefined;
  readonly runFilterKey: string | undefined;
}
