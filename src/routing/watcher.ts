import type { CompiledMetricFilter } from '../filters/compiled-metric-filter.js';
import type { RunIdentity } from '../filters/run-filter.js';
import type { Automation } from '../schema/automation.js';
import type { Scope } from '../schema/scope.js';

/** An enabled run metric automation, compiled: what the index hands to a series. */
export interface MetricWatcher {
  /** Replaced in place when an update keeps the event, so the windows bound to this watcher live on. */
  automation: Automation;
  /** The run scope it watches (entity or project), fixed for the life of the watcher. */
  readonly scope: Scope;
  readonly filter: CompiledMetricFilter;
  readonly runFilter: (run: RunIdentity) => boolean;
}
