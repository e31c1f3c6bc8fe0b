import type { AdvancedOperator } from './advanced-filter.js';
import { MAX_FILTER_STRING_LENGTH } from './advanced-filter.js';

// The building blocks of the automation JSON Schema: what zod keeps in code (refinements, unions of forms),
// written as JSON Schema for editors and other languages.

export type Schema = { properties?: Record<string, Schema>; allOf?: Schema[]; [keyword: string]: unknown };

export const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });

/** JSON Schema's conditional: where `condition` holds, so must `then`. */
export function when(condition: Schema, then: Schema): Schema {
  return { if: condition, then };
}

const NAME = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^/]*$' };
const SCOPE_TYPES = ['entity', 'project', 'registry', 'collection'];
/** One of the fields is given: present and not `null` (which means absent in a definition). */
export const has = (...fields: string[]): Schema => ({
  anyOf: fields.map((f) => ({ type: 'object', required: [f], properties: { [f]: { not: NOTHING } } })),
});
const orNull = (schema: Schema): Schema => ({ anyOf: [schema, NOTHING] });
const typed = (type: string, then: Schema): Schema =>
  when({ type: 'object', required: ['type'], properties: { type: { const: type } } }, then);

/** `'acme'`, `'acme/vision'`, `'acme/vision/resnet'`, or an object naming entity plus project, registry and/or collection. */
export function scope(): Schema {
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
export function runFilter(): Schema {
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

export function runScope(): Schema {
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
export function keyPattern(): string {
  const caseless = (word: string): string =>
    [...word].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join('');
  return `^(?:[A-Za-z0-9]+|${caseless('data')}(?:\\.[^.]+)*)$`;
}

const NOTHING = { type: 'null' };

/** Each operator takes exactly its operand, `value` or `values`; the other field is absent (or null). */
export function operandRule(operator: AdvancedOperator): Schema {
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
