import type { z } from 'zod';
import { DefinitionError } from '../errors/definition-error.js';
import { fromZodIssues } from '../errors/from-zod.js';
import type { IssuePath } from '../errors/issue.js';
import { type WalkRules, walkData } from './data-walk.js';
import { isInstance } from './is-instance.js';

/** Definitions are frozen all the way down, so a saved automation cannot be changed behind the engine's back. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

/**
 * Nesting deeper than this is refused before zod, whose recursion overflows the stack near 1,500 levels, and
 * before the recursive evaluators (run filters) could meet it at event time. No definition needs a tenth of it.
 */
export const MAX_DEFINITION_DEPTH = 64;

/** Plain data: plain objects, arrays, primitives, and functions as leaves (the builder's `.do`); no class. */
const DEFINITION: WalkRules = {
  maxBytes: Number.POSITIVE_INFINITY,
  maxDepth: MAX_DEFINITION_DEPTH,
  maxStringLength: Number.POSITIVE_INFINITY,
  maxKeys: Number.POSITIVE_INFINITY,
  maxArrayLength: Number.POSITIVE_INFINITY,
  noun: 'a definition',
  options: false,
  json: false,
  instances: () => false,
};
/** Options also hold the caller's own objects (a clock, sinks, a store): those are passed on, not walked. */
const OPTIONS: WalkRules = { ...DEFINITION, noun: 'options', instances: () => true };
/** An HTTP message as a host hands it over: plain data, bytes, and headers as a Headers or a Map. */
const MESSAGE: WalkRules = {
  ...DEFINITION,
  noun: 'a message',
  instances: (o) => ArrayBuffer.isView(o) || [ArrayBuffer, Headers, Map].some((type) => isInstance(o, type)),
};
/** JSON only, as for events: what is written out with JSON.stringify must hold nothing it would call. */
const JSON_DATA: WalkRules = { ...DEFINITION, noun: 'JSON', json: true };
const RULES = { definition: DEFINITION, options: OPTIONS, json: JSON_DATA, message: MESSAGE } as const;

/**
 * Refuse, as a DefinitionError naming the path, what no schema may read: a getter or setter (it would run),
 * a proxy (its traps would), a cycle, nesting deeper than MAX_DEFINITION_DEPTH, a bigint or symbol; an object
 * of a class, but for 'options' (any) and 'message' (bytes, Headers, Map); and for 'json', functions,
 * non-enumerable and symbol-keyed properties. Nothing of the input runs while it is looked at.
 */
export function checkData(
  input: unknown,
  what: string,
  kind: keyof typeof RULES = 'definition',
  prefix: IssuePath = [],
): void {
  const found = walkData(input, RULES[kind]);
  if (found !== undefined) throw new DefinitionError([{ ...found, path: [...prefix, ...found.path] }], what);
}

/**
 * Parse with zod; on failure throw a DefinitionError whose issues name each field and value. For options,
 * which may hold the caller's objects: those are passed on as they are, and only plain data around them is
 * checked first (checkData).
 */
export function parseInput<T>(
  schema: z.ZodType<T, unknown>,
  input: unknown,
  what: string,
  prefix: IssuePath = [],
): T {
  checkData(input, what, 'options', prefix);
  return parseChecked(schema, input, what, prefix);
}

/** Parse plain data (checked as a definition is), leaving it and what it holds unfrozen: the caller's own. */
export function parseData<T>(
  schema: z.ZodType<T, unknown>,
  input: unknown,
  what: string,
  prefix: IssuePath = [],
): T {
  checkData(input, what, 'definition', prefix);
  return parseChecked(schema, input, what, prefix);
}

/** Parse a definition (plain data only) and freeze it. Never for options that hold the user's own objects. */
export function parseDefinition<T>(
  schema: z.ZodType<T, unknown>,
  input: unknown,
  what: string,
  prefix: IssuePath = [],
): T {
  return deepFreeze(parseData(schema, input, what, prefix));
}

function parseChecked<T>(schema: z.ZodType<T, unknown>, input: unknown, what: string, prefix: IssuePath): T {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw new DefinitionError(fromZodIssues(result.error.issues, prefix), what);
  return result.data;
}
