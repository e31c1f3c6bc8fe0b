// The public entry: an explicit list, so nothing internal leaks by accident.

export { type ChangeAmount, type ChangeWindows, MetricExpression, RunEvent } from './builder/run-event.js';
export type { Clock } from './clock/clock.js';
export { systemClock } from './clock/system-clock.js';
export { DoNothing, SendNotification, SendWebhook } from './definitions/actions.js';
export {
  MetricChangeFilter,
  MetricNonFiniteFilter,
  MetricThresholdFilter,
  MetricZScoreFilter,
} from './definitions/filters.js';
export { parseAutomation } from './definitions/parse-automation.js';
export { OnRunMetric, type Trigger } from './definitions/triggers.js';
export { createEngine } from './engine/create-engine.js';
export { Engine, type EngineEvents, type EngineStats } from './engine/engine.js';
export type { EngineOptions } from './engine/engine-options.js';
export type { EngineState } from './engine/engine-state.js';
export { DefinitionError, isDefinitionError } from './errors/definition-error.js';
export { EngineClosedError, isEngineClosedError } from './errors/engine-closed-error.js';
export type { Issue, IssueCode, IssuePath } from './errors/issue.js';
export { isNotFoundError, NotFoundError } from './errors/not-found-error.js';
export { type EnvelopeInput, events, type RunMetricsInput, type RunStateInput } from './events/run-events.js';
export type { Evidence } from './filters/evidence.js';
export type { Pattern, PatternEngine } from './match/pattern-engine.js';
export { re2jsEngine } from './match/re2js-engine.js';
export type { AutomationFilter } from './routing/automation-registry.js';
export type { ActionDefinition, JsonValue, Severity } from './schema/actions.js';
export type { Automation, AutomationUpdate, NewAutomation, SaveOptions } from './schema/automation.js';
export type { CloudEvent } from './schema/cloud-event.js';
export type {
  Aggregation,
  ChangeDirection,
  ChangeType,
  Comparison,
  MetricFilter,
} from './schema/metric-filters.js';
export type { RunMetricsData, RunState, RunStateData } from './schema/run-events.js';
export type { RunFilter } from './schema/run-filter.js';
export type {
  CollectionScope,
  EntityScope,
  ProjectScope,
  RegistryScope,
  Scope,
  ScopeInput,
} from './schema/scope.js';
export type { TriggerDefinition } from './schema/triggers.js';
export { CallbackSink } from './sinks/callback-sink.js';
export type { Integration } from './sinks/integration.js';
export { type AutomateOptions, automate } from './streams/automate.js';
export type { Suppressed } from './streams/automator.js';
export type { Counters } from './streams/counters.js';
export type { Firing } from './streams/firing.js';
