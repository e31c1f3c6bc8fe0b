import type { z } from 'zod';
import { type ActionDefinition, actionSchema } from '../schema/actions.js';
import type { NewAutomation } from '../schema/automation.js';
import type { AnyCase } from '../schema/caseless.js';
import type { EventGridFilterInput } from '../schema/event-grid-filter.js';
import type { MetricFilter } from '../schema/metric-filters.js';
import { type OnEvent as EventTrigger, onEventSchema } from '../schema/on-event.js';
import { onRunStalledSchema, type OnRunStalled as RunStalledTrigger } from '../schema/on-run-stalled.js';
import { onScheduleSchema, type OnSchedule as ScheduleTrigger } from '../schema/on-schedule.js';
import type { RunFilter } from '../schema/run-filter.js';
import type { ScopeInput } from '../schema/scope.js';
import {
  ARTIFACT_TRIGGER_SCHEMAS,
  type ArtifactTrigger,
  type ArtifactTriggerType,
  onRunMetricSchema,
  onRunStateSchema,
  type OnRunMetric as RunMetricTrigger,
  type OnRunState as RunStateTrigger,
  type TriggerDefinition,
} from '../schema/triggers.js';
import { deepFreeze, parseDefinition } from './parse.js';

/** A trigger definition plus `.do(action)`: not `.then`, so a trigger is never mistaken for a promise. */
export type Trigger<T> = T & { do(action: ActionDefinition): NewAutomation };

/** `do` is not enumerable, so the trigger stays plain data for JSON and for equality. */
function withDo<T extends TriggerDefinition>(trigger: T): Trigger<T> {
  Object.defineProperty(trigger, 'do', {
    value: (action: ActionDefinition): NewAutomation =>
      deepFreeze({ event: trigger, action: parseDefinition(actionSchema, action, 'action', ['action']) }),
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

/** Fires when a run changes to one of `states` (`running`, `finished`, `failed`; `crashed` counts as `failed`), in any case. */
export function OnRunState(input: {
  readonly scope: ScopeInput;
  /** Any case (W&B writes `FAILED`); repeats are merged. */
  readonly states: readonly AnyCase<'running' | 'finished' | 'failed' | 'crashed'>[];
  readonly runFilter?: RunFilter;
  /** Fire only when `atLeast` distinct runs of one project (or entity, `per`) changed within `withinMs`. */
  readonly count?: {
    readonly atLeast: number;
    readonly withinMs: number;
    readonly per?: AnyCase<'project' | 'entity'>;
  };
}): Trigger<RunStateTrigger> {
  return withDo({ ...parseDefinition(onRunStateSchema, input, 'OnRunState') });
}
export type OnRunState = Trigger<RunStateTrigger>;

/** Fires when a run logs nothing (or no `metric` value) for `forMs` (≥ 1 minute) on the engine clock. */
export function OnRunStalled(input: {
  readonly scope: ScopeInput;
  readonly forMs: number;
  readonly metric?: string;
  readonly runFilter?: RunFilter;
}): Trigger<RunStalledTrigger> {
  return withDo({ ...parseDefinition(onRunStalledSchema, input, 'OnRunStalled') });
}
export type OnRunStalled = Trigger<RunStalledTrigger>;

/**
 * Fires at each time of a 5-field `cron` (in `timezone`, default UTC) whose period saw a run of its scope log a
 * row, with `${summary}` of those runs: e.g. `OnSchedule({ scope: 'acme/vision', cron: '0 9 * * *', metrics: ['loss'] })`.
 */
export function OnSchedule(input: {
  readonly scope: ScopeInput;
  readonly cron: string;
  readonly timezone?: string;
  readonly metrics?: readonly string[];
}): Trigger<ScheduleTrigger> {
  return withDo({ ...parseDefinition(onScheduleSchema, input, 'OnSchedule') });
}
export type OnSchedule = Trigger<ScheduleTrigger>;

type AliasTriggerInput = {
  readonly scope: ScopeInput;
  readonly collection?: string;
  readonly alias?: string;
};
type TagTriggerInput = { readonly scope: ScopeInput; readonly collection?: string; readonly tag?: string };

function artifactTrigger<I>(type: ArtifactTriggerType) {
  const schema = ARTIFACT_TRIGGER_SCHEMAS[type] as z.ZodType<ArtifactTrigger, unknown>;
  return (input: I): Trigger<ArtifactTrigger> => withDo({ ...parseDefinition(schema, input, type) });
}

/** A new version in a collection; `alias` (RE2) narrows to versions created with a matching alias (`latest` included). */
export const OnCreateArtifact = artifactTrigger<AliasTriggerInput>('OnCreateArtifact');
/** A version linked into a registry collection. */
export const OnLinkArtifact = artifactTrigger<AliasTriggerInput>('OnLinkArtifact');
/** A version unlinked from a registry collection. */
export const OnUnlinkArtifact = artifactTrigger<AliasTriggerInput>('OnUnlinkArtifact');
/** An alias added to (or moved onto) a version; `alias` is an RE2 pattern, e.g. `^production$`. */
export const OnAddArtifactAlias = artifactTrigger<AliasTriggerInput>('OnAddArtifactAlias');
/** A tag added to a version; `tag` is an RE2 pattern, e.g. `^europe.*`. */
export const OnAddArtifactTag = artifactTrigger<TagTriggerInput>('OnAddArtifactTag');
export const OnRemoveArtifactTag = artifactTrigger<TagTriggerInput>('OnRemoveArtifactTag');
/** A tag added to the collection itself. */
export const OnAddCollectionTag = artifactTrigger<TagTriggerInput>('OnAddCollectionTag');
export const OnRemoveCollectionTag = artifactTrigger<TagTriggerInput>('OnRemoveCollectionTag');

/** An Event Grid-style subscription over any event: event types, subject filters, advanced filters. */
export function OnEvent(
  input: EventGridFilterInput & { readonly scope?: ScopeInput },
): Trigger<EventTrigger> {
  return withDo({ ...parseDefinition(onEventSchema, input, 'OnEvent') });
}
export type OnEvent = Trigger<EventTrigger>;
