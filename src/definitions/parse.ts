import type { z } from 'zod';
import { DefinitionError } from '../errors/definition-error.js';
import { fromZodIssues } from '../errors/from-zod.js';
import type { IssuePath } from '../errors/issue.js';

/** Definitions are frozen all the way down, so a saved automation cannot be changed behind the engine's back. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

/** Parse with zod; on failure throw a DefinitionError whose issues name each field and value. */
export function parseInput<T>(
  schema: z.ZodType<T, unknown>,
  input: unknown,
  what: string,
  prefix: IssuePath = [],
): T {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw new DefinitionError(fromZodIssues(result.error.issues, prefix), what);
  return result.data;
}

/** Parse a definition (plain data) and freeze it. Never for options that hold the user's own objects. */
export function parseDefinition<T>(
  schema: z.ZodType<T, unknown>,
  input: unknown,
  what: string,
  prefix: IssuePath = [],
): T {
  return deepFreeze(parseInput(schema, input, what, prefix));
}
