import { RE2JS } from 're2js';
import { z } from 'zod';
import { labelSchema } from './names.js';
import { optional, strictObject } from './strict.js';

/** Which runs may fire a run trigger: `user` exact, `runName` an RE2 pattern searched unanchored. */
export type RunFilter = { readonly user?: string; readonly runName?: string };

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

/** W&B's MongoDB-style run filter (`$and`, `display_name`, `config.lr`, …): said plainly, not stripped into "every run". */
function mongoNote(key: string): string | undefined {
  const mongo = key.startsWith('$') || key.startsWith('config.') || MONGO_FIELDS.has(key);
  return mongo ? "MongoDB-style run filters (W&B's filter JSON) are not supported yet" : undefined;
}
const MONGO_FIELDS: ReadonlySet<string> = new Set([
  'display_name',
  'name',
  'username',
  'tags',
  'state',
  'config',
]);

export const runFilterSchema = strictObject(
  'a run filter',
  { user: optional(labelSchema), runName: optional(patternSchema) },
  mongoNote,
).transform(
  (f): RunFilter => ({
    ...(f.user !== undefined && { user: f.user }),
    ...(f.runName !== undefined && { runName: f.runName }),
  }),
);
