import { z } from 'zod';
import { caselessEnum } from './caseless.js';
import { type MetricFilter, metricFilterSchema } from './metric-filters.js';
import { nameSchema } from './names.js';
import { type OnEvent, onEventSchema } from './on-event.js';
import { type OnRunStalled, onRunStalledSchema } from './on-run-stalled.js';
import { type OnSchedule, onScheduleSchema } from './on-schedule.js';
import { type RunCount, runCountSchema } from './run-count.js';
import { patternSchema, type RunFilter, runFilterSchema } from './run-filter.js';
import { runScope } from './run-scope.js';
import { type Scope, scopeSchema } from './scope.js';
import { optional, strictObject } from './strict.js';
import { tagged } from './tagged.js';

/** Fires on a run's metric values, as its filter says. Scope: an entity or a project. */
export type OnRunMetric = {
  readonly type: 'OnRunMetric';
  readonly scope: Scope;
  readonly filter: MetricFilter;
  readonly runFilter?: RunFilter;
};

/** Fires when a run changes to one of `states`; `crashed` counts as `failed`. Scope: an entity or a project. */
export type OnRunState = {
  readonly type: 'OnRunState';
  readonly scope: Scope;
  readonly states: readonly TriggerableState[];
  readonly runFilter?: RunFilter;
  /** Failures across runs (§4.1): fire when this many distinct runs of one project or entity changed within the window. */
  readonly count?: RunCount;
};
export type TriggerableState = 'running' | 'finished' | 'failed';

/** The artifact and collection triggers: which change they watch, with an optional collection and pattern. */
export type ArtifactTriggerType =
  | 'OnCreateArtifact'
  | 'OnLinkArtifact'
  | 'OnUnlinkArtifact'
  | 'OnAddArtifactAlias'
  | 'OnAddArtifactTag'
  | 'OnRemoveArtifactTag'
  | 'OnAddCollectionTag'
  | 'OnRemoveCollectionTag';

export type { OnEvent, OnRunStalled, OnSchedule, RunCount };

export type ArtifactTrigger = {
  readonly type: ArtifactTriggerType;
  readonly scope: Scope;
  /** Only this collection (exact name). */
  readonly collection?: string;
  /** Create/link/unlink/alias triggers: an RE2 pattern one of the version's aliases must match (unanchored). */
  readonly alias?: string;
  /** Tag triggers: an RE2 pattern the tag must match (unanchored). */
  readonly tag?: string;
};

export type TriggerDefinition =
  | OnRunMetric
  | OnRunState
  | OnRunStalled
  | OnSchedule
  | ArtifactTrigger
  | OnEvent;

export const onRunMetricSchema = strictObject('OnRunMetric', {
  type: z.literal('OnRunMetric').optional(),
  scope: scopeSchema,
  filter: metricFilterSchema,
  runFilter: optional(runFilterSchema),
})
  .superRefine(runScope)
  .transform(
    (t): OnRunMetric => ({
      type: 'OnRunMetric',
      scope: t.scope,
      filter: t.filter,
      ...(t.runFilter !== undefined && Object.keys(t.runFilter).length > 0 && { runFilter: t.runFilter }),
    }),
  );

// W&B's ReportedRunState spellings (RUNNING, FINISHED, FAILED, CRASHED = FAILED) in any case.
const stateSchema = caselessEnum<TriggerableState>(
  { running: 'running', finished: 'finished', failed: 'failed', crashed: 'failed' },
  'running, finished or failed',
  { pending: 'pending is not a triggerable state', killed: 'killed never triggers' },
);
/** A generous bound on the list as written; duplicates are allowed and merged, leaving at most three states. */
const MAX_STATES_WRITTEN = 64;

export const onRunStateSchema = strictObject('OnRunState', {
  type: z.literal('OnRunState').optional(),
  scope: scopeSchema,
  states: z.array(stateSchema).min(1).max(MAX_STATES_WRITTEN),
  runFilter: optional(runFilterSchema),
  count: optional(runCountSchema),
})
  .superRefine(runScope)
  .transform(
    (t): OnRunState => ({
      type: 'OnRunState',
      scope: t.scope,
      // Sorted and unique, so equal definitions are equal data.
      states: (['running', 'finished', 'failed'] as const).filter((s) => t.states.includes(s)),
      ...(t.runFilter !== undefined && Object.keys(t.runFilter).length > 0 && { runFilter: t.runFilter }),
      ...(t.count !== undefined && { count: t.count }),
    }),
  );

/** An artifact trigger's schema: an optional collection and an optional pattern on aliases or on tags. */
function artifactTriggerSchema(type: ArtifactTriggerType, pattern: 'alias' | 'tag') {
  return strictObject(type, {
    type: z.literal(type).optional(),
    scope: scopeSchema,
    collection: optional(nameSchema),
    alias: optional(patternSchema),
    tag: optional(patternSchema),
  })
    .superRefine((t, ctx) => {
      const other = pattern === 'alias' ? 'tag' : 'alias';
      if (t[other] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [other],
          message: `${type} takes an ${pattern} pattern, not a ${other}`,
          input: t[other],
          params: { code: 'unrecognized_keys' },
        });
      }
    })
    .transform(
      (t): ArtifactTrigger => ({
        type,
        scope: t.scope,
        ...(t.collection !== undefined && { collection: t.collection }),
        ...(t[pattern] !== undefined && { [pattern]: t[pattern] }),
      }),
    );
}

export const ARTIFACT_TRIGGER_SCHEMAS = {
  OnCreateArtifact: artifactTriggerSchema('OnCreateArtifact', 'alias'),
  OnLinkArtifact: artifactTriggerSchema('OnLinkArtifact', 'alias'),
  OnUnlinkArtifact: artifactTriggerSchema('OnUnlinkArtifact', 'alias'),
  OnAddArtifactAlias: artifactTriggerSchema('OnAddArtifactAlias', 'alias'),
  OnAddArtifactTag: artifactTriggerSchema('OnAddArtifactTag', 'tag'),
  OnRemoveArtifactTag: artifactTriggerSchema('OnRemoveArtifactTag', 'tag'),
  OnAddCollectionTag: artifactTriggerSchema('OnAddCollectionTag', 'tag'),
  OnRemoveCollectionTag: artifactTriggerSchema('OnRemoveCollectionTag', 'tag'),
} as const;

export const triggerSchema = tagged<TriggerDefinition>({
  OnRunMetric: onRunMetricSchema,
  OnRunState: onRunStateSchema,
  OnRunStalled: onRunStalledSchema,
  OnSchedule: onScheduleSchema,
  ...ARTIFACT_TRIGGER_SCHEMAS,
  OnEvent: onEventSchema,
});
