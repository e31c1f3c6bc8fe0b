import type { z } from 'zod';
import { checkData } from '../definitions/parse.js';
import { DefinitionError } from '../errors/definition-error.js';
import { fromZodIssues } from '../errors/from-zod.js';
import type { IssuePath } from '../errors/issue.js';
import { redactIssue } from './http/redaction.js';
import { resolveSecretRefs, type SecretRefs } from './http/secret-ref.js';

/**
 * Parse an integration's input: follow `{ env }` references in `secretFields` (and in `secrets`), then the schema.
 * On failure a DefinitionError whose issues never carry a secret (a field given by reference shows the
 * reference). The input is read once, into a copy.
 */
export function parseIntegration<T>(
  schema: z.ZodType<T, unknown>,
  input: unknown,
  what: string,
  secretFields: readonly string[] = [],
): { readonly value: T; readonly refs: SecretRefs } {
  // Plain data first, so no getter runs (its issues name a shape, never a field's text, so no secret).
  checkData(input, what);
  const resolved = resolveSecretRefs(input, secretFields);
  const result = schema.safeParse(resolved.input, { reportInput: true });
  // A field whose reference failed is reported once, by the reference, not again by the schema.
  const failed = resolved.issues.map((i) => i.path);
  const covered = (path: IssuePath) => failed.some((f) => f.every((p, k) => path[k] === p));
  const fromSchema = result.success
    ? []
    : fromZodIssues(result.error.issues)
        .filter((i) => !covered(i.path))
        .map((i) => redactIssue(i, resolved.refs));
  const issues = [...resolved.issues, ...fromSchema];
  if (!result.success || issues.length > 0) throw new DefinitionError(issues, what);
  return { value: result.data, refs: resolved.refs };
}
