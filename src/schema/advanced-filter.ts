import { z } from 'zod';
import { KEY_FORMS, parseEventGridKey } from './event-grid-key.js';
import { strictObject } from './strict.js';
import { forwardIssues } from './tagged.js';

export const ADVANCED_OPERATORS = [
  'NumberIn',
  'NumberNotIn',
  'NumberLessThan',
  'NumberGreaterThan',
  'NumberLessThanOrEquals',
  'NumberGreaterThanOrEquals',
  'NumberInRange',
  'NumberNotInRange',
  'BoolEquals',
  'StringIn',
  'StringNotIn',
  'StringContains',
  'StringNotContains',
  'StringBeginsWith',
  'StringNotBeginsWith',
  'StringEndsWith',
  'StringNotEndsWith',
  'IsNullOrUndefined',
  'IsNotNull',
] as const;
export type AdvancedOperator = (typeof ADVANCED_OPERATORS)[number];

export type NumberCompareOperator =
  | 'NumberLessThan'
  | 'NumberGreaterThan'
  | 'NumberLessThanOrEquals'
  | 'NumberGreaterThanOrEquals';
export type NumberSetOperator = 'NumberIn' | 'NumberNotIn';
export type NumberRangeOperator = 'NumberInRange' | 'NumberNotInRange';
export type StringOperator = Extract<AdvancedOperator, `String${string}`>;
export type NullOperator = 'IsNullOrUndefined' | 'IsNotNull';

/** An inclusive `[low, high]` range, low ≤ high. */
export type NumberRange = readonly [number, number];

type Keyed<O> = { readonly operatorType: O; readonly key: string };
/** One advanced filter, normalised: exactly the operand its operator takes. */
export type AdvancedFilter =
  | (Keyed<NumberCompareOperator> & { readonly value: number })
  | (Keyed<NumberSetOperator> & { readonly values: readonly number[] })
  | (Keyed<NumberRangeOperator> & { readonly values: readonly NumberRange[] })
  | (Keyed<'BoolEquals'> & { readonly value: boolean })
  | (Keyed<StringOperator> & { readonly values: readonly string[] })
  // One member each, so a check on either name narrows the union.
  | Keyed<'IsNullOrUndefined'>
  | Keyed<'IsNotNull'>;

/** What a user may write; `null` operands (as Azure's REST responses carry) count as absent. */
export type AdvancedFilterInput = {
  readonly operatorType: AdvancedOperator;
  readonly key: string;
  readonly value?: number | boolean | null;
  readonly values?: readonly unknown[] | null;
};

export const MAX_FILTER_STRING_LENGTH = 512;

type Operand = { readonly field: 'value' | 'values'; readonly what: string; readonly schema: z.ZodType };

const range = z.tuple([z.number(), z.number()]).superRefine(([low, high], ctx) => {
  if (low > high) {
    ctx.addIssue({
      code: 'custom',
      message: `range [${low}, ${high}] is reversed: low must be ≤ high`,
      input: [low, high],
      params: { code: 'invalid_value' },
    });
  }
});
const text = z.string().max(MAX_FILTER_STRING_LENGTH);

function operand(field: Operand['field'], what: string, schema: z.ZodType): Operand {
  const many =
    schema instanceof z.ZodArray ? schema.min(1, { message: `needs at least one value: ${what}` }) : schema;
  return { field, what, schema: z.object({ [field]: many }) };
}

const NUMBER = operand('value', 'a number', z.number());
const NUMBERS = operand('values', 'a list of numbers', z.array(z.number()));
const RANGES = operand('values', 'a list of [low, high] pairs', z.array(range));
const BOOLEAN = operand('value', 'true or false', z.boolean());
const STRINGS = operand('values', 'a list of strings', z.array(text));
// An empty prefix, suffix or substring is in every string: the filter would match everything.
const nonEmpty = text.min(1, {
  message: 'an empty string would match every value: every text begins, ends with and contains it',
});
const NON_EMPTY_STRINGS = operand('values', 'a list of non-empty strings', z.array(nonEmpty));
const MATCH_ANYWHERE: ReadonlySet<AdvancedOperator> = new Set([
  'StringBeginsWith',
  'StringEndsWith',
  'StringContains',
]);

function operandOf(op: AdvancedOperator): Operand | undefined {
  if (op === 'NumberIn' || op === 'NumberNotIn') return NUMBERS;
  if (op === 'NumberInRange' || op === 'NumberNotInRange') return RANGES;
  if (op.startsWith('Number')) return NUMBER;
  if (op === 'BoolEquals') return BOOLEAN;
  if (MATCH_ANYWHERE.has(op)) return NON_EMPTY_STRINGS;
  if (op.startsWith('String')) return STRINGS;
  return undefined;
}

const keySchema = z
  .string()
  .max(MAX_FILTER_STRING_LENGTH, { abort: true })
  .superRefine((key, ctx) => {
    if (parseEventGridKey(key) === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a key: ${KEY_FORMS} (a dotted path with no empty name)`,
        input: key,
        params: { code: 'invalid_value' },
      });
    }
  });

const absent = (v: unknown): boolean => v === undefined || v === null;

/** One advanced filter; its operand's shape is checked against its operator, and issues name the field. */
export const advancedFilterSchema = strictObject('an advanced filter', {
  operatorType: z.enum(ADVANCED_OPERATORS),
  key: keySchema,
  value: z.unknown().optional(),
  values: z.unknown().optional(),
}).transform((f, ctx): AdvancedFilter => {
  const { operatorType, key } = f;
  const wanted = operandOf(operatorType);
  const takes = wanted === undefined ? 'no operand' : `\`${wanted.field}\`: ${wanted.what}`;
  let foreign = false;
  for (const field of ['value', 'values'] as const) {
    if (field === wanted?.field || absent(f[field])) continue;
    foreign = true;
    ctx.addIssue({
      code: 'custom',
      path: [field],
      message: `${operatorType} takes ${takes}, not \`${field}\``,
      input: f[field],
      params: { code: 'unrecognized_keys' },
    });
  }
  if (foreign) return z.NEVER;
  if (wanted === undefined) return { operatorType, key } as AdvancedFilter;
  if (absent(f[wanted.field])) {
    ctx.addIssue({
      code: 'custom',
      path: [wanted.field],
      message: `${operatorType} needs ${takes}`,
      input: f[wanted.field],
      params: { code: 'invalid_type' },
    });
    return z.NEVER;
  }
  const parsed = wanted.schema.safeParse({ [wanted.field]: f[wanted.field] }, { reportInput: true });
  if (!parsed.success) {
    forwardIssues(parsed.error.issues, ctx);
    return z.NEVER;
  }
  const operandValue = (parsed.data as Readonly<Record<string, unknown>>)[wanted.field];
  // The operand was checked against the operator just above; the union cannot see that link.
  return (
    wanted.field === 'value'
      ? { operatorType, key, value: operandValue }
      : { operatorType, key, values: operandValue }
  ) as AdvancedFilter;
});
