import type { ActionDefinition } from '../schema/actions.js';
import type { NewAutomation } from '../schema/automation.js';
import type { MetricFilter } from '../schema/metric-filters.js';
import type { RunFilter } from '../schema/run-filter.js';
import type { ScopeInput } from '../schema/scope.js';
import {
  onRunMetricSchema,
  type OnRunMetric as RunMetricTrigger,
  type TriggerDefinition,
} from '../schema/triggers.js';
import { deepFreeze, parseDefinition } from './parse.js';
import { parseAction } from './parse-automation.js';

/** A trigger definition plus `.do(action)`: not `.then`, so a trigger is never mistaken for a promise. */
export type Trigger<T> = T & { do(action: ActionDefinition): NewAutomation };

/** `do` is not enumerable, so the trigger stays plain data for JSON and for equality. */
function withDo<T extends TriggerDefinition>(trigger: T): Trigger<T> {
  Object.defineProperty(trigger, 'do', {
    value: (action: ActionDefinition): NewAutomation =>
      deepFreeze({ event: trigger, action: parseAction(action) }),
    enumerable: false,
  });
  return deepFreeze(trigger) as Trigger<T>;
}

/** Fires on a run's metric values. Example: `OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('loss').mean(5).gt(1) })`. */
export function OnRunMetric(input: {
  readonly scope: ScopeInput;
  readonly filter: MetricFilter;
  readonly runFilter?: RunFilter;
}): Trigger<RunMetricTrigger> {
  return withDo({ ...parseDefinition(onRunMetricSchema, input, 'OnRunMetric') });
}

export type OnRunMetric = Trigger<RunMetricTrigger>;
