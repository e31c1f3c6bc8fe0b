import { z } from 'zod';
import { actionSchema, doNothingSchema, sendNotificationSchema, sendWebhookSchema } from './actions.js';
import { ADVANCED_OPERATORS, advancedFilterSchema } from './advanced-filter.js';
import { newAutomationSchema } from './automation.js';
import {
  dispatchGitHubWorkflowSchema,
  sendEmailSchema,
  sendPagerDutySchema,
  sendTeamsMessageSchema,
} from './destination-actions.js';
import {
  has,
  keyPattern,
  operandRule,
  ref,
  runFilter,
  runScope,
  type Schema,
  scope,
  when,
} from './json-schema-parts.js';
import {
  metricChangeFilterSchema,
  metricFilterSchema,
  metricNonFiniteFilterSchema,
  metricThresholdFilterSchema,
  metricZScoreFilterSchema,
} from './metric-filters.js';
import { nameSchema } from './names.js';
import { onEventSchema } from './on-event.js';
import { onRunStalledSchema } from './on-run-stalled.js';
import { onScheduleSchema } from './on-schedule.js';
import { runFilterSchema } from './run-filter.js';
import { scopeSchema } from './scope.js';
import {
  ARTIFACT_TRIGGER_SCHEMAS,
  type ArtifactTriggerType,
  onRunMetricSchema,
  onRunStateSchema,
  triggerSchema,
} from './triggers.js';

/** A JSON Schema document (draft 2020-12): plain JSON. */
export type JsonSchema = { readonly [keyword: string]: unknown };

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

const METRIC_FILTERS = {
  MetricThresholdFilter: metricThresholdFilterSchema,
  MetricChangeFilter: metricChangeFilterSchema,
  MetricZScoreFilter: metricZScoreFilterSchema,
  MetricNonFiniteFilter: metricNonFiniteFilterSchema,
};
const TRIGGERS = {
  OnRunMetric: onRunMetricSchema,
  OnRunState: onRunStateSchema,
  OnRunStalled: onRunStalledSchema,
  OnSchedule: onScheduleSchema,
  ...ARTIFACT_TRIGGER_SCHEMAS,
  OnEvent: onEventSchema,
};
const ACTIONS = {
  SendNotification: sendNotificationSchema,
  SendWebhook: sendWebhookSchema,
  SendEmail: sendEmailSchema,
  SendPagerDuty: sendPagerDutySchema,
  DispatchGitHubWorkflow: dispatchGitHubWorkflowSchema,
  SendTeamsMessage: sendTeamsMessageSchema,
  DoNothing: doNothingSchema,
};
/** Which artifact triggers take an `alias` pattern; the others take a `tag`. */
const ALIAS_TRIGGERS: ReadonlySet<ArtifactTriggerType> = new Set([
  'OnCreateArtifact',
  'OnLinkArtifact',
  'OnUnlinkArtifact',
  'OnAddArtifactAlias',
]);

let cached: JsonSchema | undefined;

/**
 * The JSON Schema (draft 2020-12) of the automation JSON that `parseAutomation` reads, for editors and
 * other tools. Generated from the zod schemas (`z.toJSONSchema`, input side); the tagged unions and the
 * scope, which zod reads through transforms, and the refinements JSON Schema can say are written out here.
 * Everything `parseAutomation` accepts, the schema accepts; a few things only `parseAutomation` checks:
 * RE2 pattern syntax, range order (`[low, high]`) and the 25-value budget across advanced filters.
 */
export function automationJsonSchema(): JsonSchema {
  cached ??= build();
  return structuredClone(cached);
}

function build(): JsonSchema {
  const registry = z.registry<{ id: string }>();
  registry.add(newAutomationSchema, { id: 'Automation' });
  for (const group of [METRIC_FILTERS, TRIGGERS, ACTIONS]) {
    for (const [id, schema] of Object.entries(group)) registry.add(schema, { id });
  }
  registry.add(advancedFilterSchema, { id: 'AdvancedFilter' });
  // zod sees a transform's input; where that input is `unknown` (tagged unions, scopes) we say what it is.
  const replaced = new Map<unknown, Schema>([
    [scopeSchema, ref('Scope')],
    [metricFilterSchema, ref('MetricFilter')],
    [triggerSchema, ref('Trigger')],
    [actionSchema, ref('Action')],
    [runFilterSchema, ref('RunFilter')],
  ]);
  const generated = z.toJSONSchema(registry, {
    io: 'input',
    unrepresentable: 'any',
    // Schemas zod shares between registered ones go to `__shared`; with no uri of their own they sit beside them.
    uri: (id) => (id === '__shared' ? '' : `#/$defs/${id}`),
    override: ({ zodSchema, jsonSchema }) => {
      const replacement = replaced.get(zodSchema);
      if (replacement !== undefined) {
        for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
        Object.assign(jsonSchema, replacement);
      }
      if (zodSchema === nameSchema) jsonSchema.pattern = '^[^/]*$';
    },
  }).schemas;
  const defs: Record<string, Schema> = {};
  for (const [id, schema] of Object.entries(generated)) {
    const { $schema: _s, $id: _i, $defs: shared, ...body } = schema;
    if (id !== '__shared') defs[id] = body as Schema;
    for (const [name, def] of Object.entries(shared ?? {})) {
      if (Object.hasOwn(defs, name) || Object.hasOwn(generated, name))
        throw new Error(`$defs clash: ${name}`);
      defs[name] = def as Schema;
    }
  }
  refine(defs);
  const { Automation: root, ...rest } = defs;
  return {
    $schema: DRAFT,
    title: 'ml-automations automation',
    description: 'An automation as parseAutomation reads it: { event, action, name?, description?, … }',
    ...root,
    $defs: {
      ...rest,
      Scope: scope(),
      RunScope: runScope(),
      MetricFilter: tagUnion(Object.keys(METRIC_FILTERS)),
      Trigger: tagUnion(Object.keys(TRIGGERS)),
      Action: tagUnion(Object.keys(ACTIONS)),
      RunFilter: runFilter(),
    },
  };
}

/** The refinements zod keeps in code, said in JSON Schema where it can say them. */
function refine(defs: Record<string, Schema>): void {
  const def = (name: string): Schema => {
    const found = defs[name];
    if (found === undefined) throw new Error(`no $defs entry ${name}`);
    return found;
  };
  const property = (name: string, field: string): Schema => {
    const found = def(name).properties?.[field];
    if (found === undefined) throw new Error(`no property ${name}.${field}`);
    return found;
  };
  const addAllOf = (name: string, ...schemas: Schema[]): void => {
    const target = def(name);
    target.allOf = [...(target.allOf ?? []), ...schemas];
  };
  const runScope = ref('RunScope');
  addAllOf(
    'MetricThresholdFilter',
    when(
      { type: 'object', required: ['window'], properties: { window: { type: 'number', minimum: 2 } } },
      { type: 'object', required: ['agg'], properties: { agg: { type: 'string' } } },
    ),
  );
  Object.assign(property('MetricChangeFilter', 'amount'), { exclusiveMinimum: 0 });
  Object.assign(property('MetricZScoreFilter', 'threshold'), { exclusiveMinimum: 0 });
  for (const name of ['OnRunMetric', 'OnRunState', 'OnRunStalled', 'OnSchedule'])
    Object.assign(def(name).properties ?? {}, { scope: runScope });
  for (const type of Object.keys(ARTIFACT_TRIGGER_SCHEMAS) as ArtifactTriggerType[]) {
    const other = ALIAS_TRIGGERS.has(type) ? 'tag' : 'alias';
    Object.assign(def(type), { not: has(other) });
  }
  Object.assign(property('AdvancedFilter', 'key'), { pattern: keyPattern() });
  addAllOf('AdvancedFilter', ...ADVANCED_OPERATORS.map(operandRule));
}

/** A union keyed on `type`: the tag picks the one member schema that applies. */
function tagUnion(tags: readonly string[]): Schema {
  return {
    type: 'object',
    required: ['type'],
    properties: { type: { type: 'string', enum: tags } },
    allOf: tags.map((tag) => when({ type: 'object', properties: { type: { const: tag } } }, ref(tag))),
  };
}
