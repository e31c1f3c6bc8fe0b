import { z } from 'zod';
import type { JsonValue } from './json-value.js';

/** A JSON object, such as a run's config. */
export type JsonObject = { readonly [key: string]: JsonValue };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy of JSON data, or undefined if it is not JSON (a non-finite number, a function, …). Keys are set as own
 * data properties, so a key named `__proto__` stays a key. Input limits have bounded its size and depth already.
 */
function copy(v: unknown): JsonValue | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (Array.isArray(v)) {
    const out: JsonValue[] = [];
    for (const x of v) {
      const c = copy(x);
      if (c === undefined) return undefined;
      out.push(c);
    }
    return Object.freeze(out);
  }
  if (!isObject(v)) return undefined;
  const entries: [string, JsonValue][] = [];
  for (const key of Object.keys(v)) {
    const c = copy(v[key]);
    if (c === undefined) return undefined;
    entries.push([key, c]);
  }
  return Object.freeze(Object.fromEntries(entries));
}

/** A JSON object, copied and frozen, so that the caller's later changes to it change nothing here. */
export const jsonObjectSchema: z.ZodType<JsonObject, unknown> = z.unknown().transform((input, ctx) => {
  const copied = isObject(input) ? copy(input) : undefined;
  if (copied !== undefined) return copied as JsonObject;
  ctx.addIssue({
    code: 'custom',
    message: 'expected a JSON object (finite numbers, strings, booleans, null, arrays, objects)',
    input,
    params: { code: 'invalid_type' },
  });
  return z.NEVER;
});

/** Equal as JSON: same values, object keys in any order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]))
  );
}
