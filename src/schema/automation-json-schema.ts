import { z } from 'zod';
import { actionSchema, doNothingSchema, sendNotificationSchema, sendWebhookSchema } from './actions.js';
import {
  ADVANCED_OPERATORS,
  type AdvancedOperator,
  advancedFilterSchema,
  MAX_FILTER_STRING_LENGTH,
} from './advanced-filter.js';
import { newAutomationSchema } from './automation.js';
import {
  dispatchGitHubWorkflowSchema,
  sendEmailSchema,
  sendPagerDutySchema,
  sendTeamsMessageSchema,
} from './destination-actions.js';
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

type Schema = { properties?: Record<string, Schema>; allOf?: Schema[]; [keyword: string]: unknown };

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });

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

/** JSON Schema's conditional: where `condition` holds, so must `then`. */
function when(condition: Schema, then: Schema): Schema {
  return { if: condition, then };
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

const NAME = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^/]*$' };
const SCOPE_TYPES = ['entity', 'project', 'registry', 'collection'];
/** One of the fields is given: present and not `null` (which means absent in a definition). */
const has = (...fields: string[]): Schema => ({
  anyOf: fields.map((f) => ({ type: 'object', required: [f], properties: { [f]: { not: NOTHING } } })),
});
const orNull = (schema: Schema): Schema => ({ anyOf: [schema, NOTHING] });
const typed = (type: string, then: Schema): Schema =>
  when({ type: 'object', required: ['type'], properties: { type: { const: type } } }, then);

/** `'acme'`, `'acme/vision'`, `'acme/vision/resnet'`, or an object naming entity plus project, registry and/or collection. */
function scope(): Schema {
  return {
    anyOf: [
      { type: 'string', pattern: '^[^/]{1,255}(/[^/]{1,255}){0,2}$' },
      {
        type: 'object',
        required: ['entity'],
        properties: {
          type: orNull({ type: 'string', enum: SCOPE_TYPES }),
          entity: NAME,
          project: orNull(NAME),
          registry: orNull(NAME),
          collection: orNull(NAME),
        },
        additionalProperties: false,
        not: { allOf: [has('project'), has('registry')] },
        allOf: [
          when(has('collection'), has('project', 'registry')),
          typed('entity', { not: has('project', 'registry', 'collection') }),
          typed('project', { allOf: [has('project')], not: has('collection') }),
          typed('registry', { allOf: [has('registry')], not: has('collection') }),
          typed('collection', has('collection')),
        ],
      },
    ],
  };
}

/** Run events happen in projects: an entity or project scope only. */
/** `{ user?, runName? }`, or W&B's MongoDB-style expression: operators and fields at its top (§3.5). */
function runFilter(): Schema {
  const text = { type: 'string', minLength: 1, maxLength: 1024 };
  return {
    anyOf: [
      {
        type: 'object',
        properties: { user: orNull({ ...text, maxLength: 255 }), runName: orNull(text) },
        additionalProperties: false,
      },
      {
        type: 'object',
        propertyNames: {
          pattern: '^(\\$(and|or|nor|not)|display_name|name|username|user|tags|state|config\\..+)$',
        },
      },
    ],
  };
}

function runScope(): Schema {
  return {
    allOf: [
      ref('Scope'),
      {
        anyOf: [
          { type: 'string', pattern: '^[^/]*(/[^/]*)?$' },
          {
            type: 'object',
            properties: { type: orNull({ type: 'string', enum: ['entity', 'project'] }) },
            not: has('registry', 'collection'),
          },
        ],
      },
    ],
  };
}

/** An attribute by its name (letters and digits, any case), or `data` and a dotted path with no empty name. */
function keyPattern(): string {
  const caseless = (word: string): string =>
    [...word].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join('');
  return `^(?:[A-Za-z0-9]+|${caseless('data')}(?:\\.[^.]+)*)$`;
}

const NOTHING = { type: 'null' };

/** Each operator takes exactly its operand, `value` or `values`; the other field is absent (or null). */
function operandRule(operator: AdvancedOperator): Schema {
  const operand = operandOf(operator);
  const properties: Record<string, Schema> =
    operand === undefined
      ? { value: NOTHING, values: NOTHING }
      : {
          [operand.field]: operand.schema,
          [operand.field === 'value' ? 'values' : 'value']: NOTHING,
        };
  return when(
    { type: 'object', properties: { operatorType: { const: operator } } },
    { type: 'object', ...(operand !== undefined && { required: [operand.field] }), properties },
  );
}

const MATCH_ANYWHERE: ReadonlySet<AdvancedOperator> = new Set([
  'StringBeginsWith',
  'StringEndsWith',
  'StringContains',
]);

function operandOf(op: AdvancedOperator): { field: 'value' | 'values'; schema: Schema } | undefined {
  const list = (items: Schema): Schema => ({ type: 'array', minItems: 1, items });
  if (op === 'NumberIn' || op === 'NumberNotIn') return { field: 'values', schema: list({ type: 'number' }) };
  if (op === 'NumberInRange' || op === 'NumberNotInRange') {
    const pair = { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false };
    return { field: 'values', schema: list({ ...pair, minItems: 2 }) };
  }
  if (op.startsWith('Number')) return { field: 'value', schema: { type: 'number' } };
  if (op === 'BoolEquals') return { field: 'value', schema: { type: 'boolean' } };
  if (op.startsWith('String')) {
    // An empty prefix, suffix or substring would match every value.
    const minLength = MATCH_ANYWHERE.has(op) ? 1 : 0;
    return {
      field: 'values',
      schema: list({ type: 'string', minLength, maxLength: MAX_FILTER_STRING_LENGTH }),
    };
  }
  return undefined;
}
