import type { z } from 'zod';
import { DefinitionError } from '../errors/definition-error.js';
import { fromZodIssues } from '../errors/from-zod.js';
import { redactIssue } from './http/redaction.js';

/** Parse an integration's input; on failure a DefinitionError whose issues never carry a secret. */
export function parseIntegration<T>(schema: z.ZodType<T, unknown>, input: unknown, what: string): T {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw new DefinitionError(fromZodIssues(result.error.issues).map(redactIssue), what);
  return result.data;
}
