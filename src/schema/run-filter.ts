import { RE2JS } from 're2js';
import { z } from 'zod';
import { labelSchema } from './names.js';
import { RUN_FIELDS, type RunFilterExpression, runFilterExpressionSchema } from './run-filter-expression.js';
import { optional, strictObject } from './strict.js';

/** Which runs may fire a run trigger: `user` exact, `runName` an RE2 pattern searched unanchored. */
export type SimpleRunFilter = { readonly user?: string; readonly runName?: string };
/** The simple form, or W&B's MongoDB-style expression (§3.5). */
export type RunFilter = SimpleRunFilter | RunFilterExpression;
export type { RunFilterExpression };

export const MAX_PATTERN_LENGTH = 1024;

/** A user pattern, checked with RE2's syntax when defined; the engine compiles it again with its own engine. */
export const patternSchema = z
  .string()
  .min(1)
  .max(MAX_PATTERN_LENGTH)
  .superRefine((source, ctx) => {
    try {
      RE2JS.compile(source);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `not a valid RE2 pattern: ${error instanceof Error ? error.message : String(error)}`,
        input: source,
        params: { code: 'invalid_pattern' },
      });
    }
  });

/**
 * A MongoDB-style expression names an operator or a W&B field (`display_name`, `tags`, `config.lr`, …) or gives
 * `user` a condition; anything else is the simple `{ user?, runName? }`, whose strict schema names unknown keys.
 */
function isExpressionInput(input: unknown): boolean {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
  // runName exists only in the simple form: with it, any other key is an unknown key of that form.
  if (Object.hasOwn(input, 'runName')) return false;
  return Object.entries(input).some(
    ([k, v]) =>
      k.startsWith('$') ||
      k.startsWith('config') ||
      (k !== 'user' && Object.hasOwn(RUN_FIELDS, k)) ||
      (k === 'user' && v !== null && v !== undefined && typeof v !== 'string'),
  );
}

const isSimpleInput = (input: unknown): boolean => !isExpressionInput(input);

/** True for a MongoDB-style expression; false for `{ user?, runName? }`. */
export function isRunFilterExpression(filter: RunFilter): filter is RunFilterExpression {
  return !isSimpleInput(filter);
}

/** True for `{ user?, runName? }`. */
export function isSimpleRunFilter(filter: RunFilter): filter is SimpleRunFilter {
  return isSimpleInput(filter);
}

/** A MongoDB-style key beside `runName`: the two forms do not mix. */
const mixedNote = (key: string): string | undefined =>
  key.startsWith('$') || key.startsWith('config') || Object.hasOwn(RUN_FIELDS, key)
    ? `unknown key ${JSON.stringify(key)}: runName does not mix with a MongoDB-style filter; there, write display_name with $regex`
    : undefined;

const simpleRunFilterSchema = strictObject(
  'a run filter',
  { user: optional(labelSchema), runName: optional(patternSchema) },
  mixedNote,
).transform(
  (f): SimpleRunFilter => ({
    ...(f.user !== undefined && { user: f.user }),
    ...(f.runName !== undefined && { runName: f.runName }),
  }),
);

type RunFilterSchema = z.ZodType<RunFilter, unknown>;
const SIMPLE = simpleRunFilterSchema as RunFilterSchema;
const EXPRESSION = runFilterExpressionSchema as unknown as RunFilterSchema;

/** `{ user?, runName? }`, or W&B's MongoDB-style JSON (`{ "$and": [...] }`, `display_name`, `config.lr`, …). */
export const runFilterSchema: z.ZodType<RunFilter, unknown> = z
  .unknown()
  .transform((input, ctx): RunFilter => {
    const schema = isExpressionInput(input) ? EXPRESSION : SIMPLE;
    const parsed = schema.safeParse(input, { reportInput: true });
    if (parsed.success) return parsed.data;
    // The inner schema's issues with their codes, paths and inputs: this schema only chose which one applies.
    for (const i of parsed.error.issues) {
      const own = (i as { params?: { code?: unknown } }).params?.code;
      const code = typeof own === 'string' ? own : i.code;
      const keys = i.code === 'unrecognized_keys' ? i.keys : [undefined];
      for (const key of keys)
        ctx.addIssue({
          code: 'custom',
          path: i.path,
          message: i.message,
          input: key ?? i.input,
          params: { code },
          continue: true,
        });
    }
    return z.NEVER;
  });
