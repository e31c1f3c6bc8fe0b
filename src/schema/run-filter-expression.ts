import { RE2JS } from 're2js';
import { z } from 'zod';
import type { JsonValue } from './json-value.js';

/** W&B's MongoDB-style run filter, exactly as its SDK writes it: `{ "$and": [{ "display_name": { "$regex": "^sweep-" } }] }`. */
export type RunFilterExpression = { readonly [key: string]: JsonValue };

/** The fields a run filter can name; `config.<path>` besides. */
export const RUN_FIELDS: Readonly<Record<string, 'runName' | 'user' | 'tags' | 'state'>> = {
  display_name: 'runName',
  name: 'runName',
  username: 'user',
  user: 'user',
  tags: 'tags',
  state: 'state',
};
export const LOGICAL = ['$and', '$or', '$nor'] as const;
export const FIELD_OPERATORS = [
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$exists',
  '$regex',
  '$contains',
  '$size',
  '$all',
  '$not',
] as const;
export type FieldOperator = (typeof FIELD_OPERATORS)[number];

/** Bounds on one expression, so that a definition cannot ask for unbounded work per run. */
export const MAX_EXPRESSION_NODES = 512;
export const MAX_EXPRESSION_DEPTH = 16;
export const MAX_LIST_VALUES = 1000;
const MAX_TEXT = 4096;

type Problem = { path: (string | number)[]; message: string; value: unknown; code: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): boolean =>
  v === null ||
  typeof v === 'string' ||
  typeof v === 'boolean' ||
  (typeof v === 'number' && Number.isFinite(v));

/** A field name the expression may use, or a message saying why not (naming the key). */
export function fieldProblem(key: string): string | undefined {
  if (Object.hasOwn(RUN_FIELDS, key)) return undefined;
  const quoted = JSON.stringify(key);
  if (key.startsWith('config.')) {
    const parts = key.slice('config.'.length).split('.');
    return parts.every((p) => p.length > 0 && p.length <= 255)
      ? undefined
      : `config path ${quoted} has an empty part`;
  }
  if (key === 'config') return `unknown field ${quoted}: write config.<path>, e.g. config.lr`;
  if (key === 'runName')
    return `unknown field ${quoted}: in a MongoDB-style filter the run name is display_name (with $regex for a pattern)`;
  return `unknown field ${quoted}: a run filter names display_name (name), username (user), tags, state or config.<path>`;
}

/**
 * Checks an expression and copies it: every key a known field or operator, every operand of the right shape,
 * every `$regex` a valid RE2 pattern. Problems carry their path inside the expression.
 */
class Checker {
  readonly problems: Problem[] = [];
  #nodes = 0;

  expression(input: unknown, path: (string | number)[], depth: number): JsonValue {
    if (!isObject(input))
      return this.#fail(path, 'expected an object: a run filter expression', input, 'invalid_type');
    if (this.#tooDeep(path, depth, input)) return null;
    const out: [string, JsonValue][] = [];
    for (const key of Object.keys(input)) {
      const value = input[key];
      const at = [...path, key];
      if ((LOGICAL as readonly string[]).includes(key)) out.push([key, this.#list(value, at, depth)]);
      else if (key === '$not') out.push([key, this.expression(value, at, depth + 1)]);
      else if (key.startsWith('$'))
        this.#fail(
          path,
          `unknown operator ${JSON.stringify(key)} here: $and, $or, $nor, $not or a field`,
          key,
          'unrecognized_keys',
        );
      else {
        const problem = fieldProblem(key);
        if (problem !== undefined) this.#fail(path, problem, key, 'unrecognized_keys');
        else out.push([key, this.#condition(value, at, depth + 1)]);
      }
    }
    return Object.fromEntries(out);
  }

  #list(value: unknown, path: (string | number)[], depth: number): JsonValue {
    if (!Array.isArray(value))
      return this.#fail(path, 'expected an array of expressions', value, 'invalid_type');
    return value.map((e, i) => this.expression(e, [...path, i], depth + 1));
  }

  /** A field's condition: an operator object, or a value it must equal (implicit `$eq`). */
  #condition(value: unknown, path: (string | number)[], depth: number): JsonValue {
    if (this.#tooDeep(path, depth, value)) return null;
    if (!isObject(value)) return this.#literal(value, path);
    const keys = Object.keys(value);
    const operators = keys.filter((k) => k.startsWith('$'));
    if (operators.length === 0) return this.#literal(value, path);
    if (operators.length !== keys.length)
      return this.#fail(
        path,
        'mixes operators and plain keys: write { "$eq": {…} } for an object',
        value,
        'invalid_value',
      );
    return Object.fromEntries(keys.map((k) => [k, this.#operand(k, value[k], [...path, k], depth)]));
  }

  #operand(op: string, v: unknown, path: (string | number)[], depth: number): JsonValue {
    switch (op as FieldOperator) {
      case '$eq':
      case '$ne':
        return this.#literal(v, path);
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
      case '$contains':
        return isScalar(v)
          ? this.#literal(v, path)
          : this.#fail(path, `${op} takes a string, number, boolean or null`, v, 'invalid_type');
      case '$in':
      case '$nin':
      case '$all':
        if (!Array.isArray(v)) return this.#fail(path, `${op} takes an array of values`, v, 'invalid_type');
        if (v.length > MAX_LIST_VALUES)
          return this.#fail(path, `${op} takes at most ${MAX_LIST_VALUES} values`, v.length, 'too_big');
        return this.#literal(v, path);
      case '$exists':
        return typeof v === 'boolean'
          ? v
          : this.#fail(path, '$exists takes true or false', v, 'invalid_type');
      case '$size':
        return Number.isSafeInteger(v) && (v as number) >= 0
          ? (v as number)
          : this.#fail(path, '$size takes a whole number ≥ 0', v, 'invalid_type');
      case '$regex':
        return this.#pattern(v, path);
      case '$not':
        if (!isObject(v) || Object.keys(v).length === 0 || !Object.keys(v).every((k) => k.startsWith('$')))
          return this.#fail(
            path,
            '$not inside a field takes an operator object, e.g. { "$regex": "^tmp" }',
            v,
            'invalid_type',
          );
        return this.#condition(v, path, depth + 1);
      default:
        return this.#fail(
          path.slice(0, -1),
          `unknown operator ${JSON.stringify(op)}: ${FIELD_OPERATORS.join(' ')}`,
          op,
          'unrecognized_keys',
        );
    }
  }

  #pattern(v: unknown, path: (string | number)[]): JsonValue {
    if (typeof v !== 'string' || v.length === 0 || v.length > 1024)
      return this.#fail(path, '$regex takes an RE2 pattern of 1 to 1024 characters', v, 'invalid_type');
    try {
      RE2JS.compile(v);
      return v;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return this.#fail(path, `not a valid RE2 pattern: ${why}`, v, 'invalid_pattern');
    }
  }

  /** A JSON value as an operand, copied (own data properties only, so `__proto__` stays a key). */
  #literal(v: unknown, path: (string | number)[]): JsonValue {
    this.#nodes += 1;
    if (this.#nodes > MAX_EXPRESSION_NODES)
      return this.#fail(path, `at most ${MAX_EXPRESSION_NODES} values and clauses`, v, 'too_big');
    if (typeof v === 'string')
      return v.length <= MAX_TEXT
        ? v
        : this.#fail(path, `at most ${MAX_TEXT} characters`, v.length, 'too_big');
    if (isScalar(v)) return v as JsonValue;
    if (Array.isArray(v)) return v.map((e, i) => this.#literal(e, [...path, i]));
    if (isObject(v))
      return Object.fromEntries(Object.keys(v).map((k) => [k, this.#literal(v[k], [...path, k])]));
    return this.#fail(path, 'expected a JSON value', v, 'invalid_type');
  }

  #tooDeep(path: (string | number)[], depth: number, value: unknown): boolean {
    this.#nodes += 1;
    if (depth > MAX_EXPRESSION_DEPTH)
      this.#fail(path, `nested more than ${MAX_EXPRESSION_DEPTH} deep`, value, 'too_big');
    else if (this.#nodes > MAX_EXPRESSION_NODES)
      this.#fail(path, `at most ${MAX_EXPRESSION_NODES} values and clauses`, value, 'too_big');
    else return false;
    return true;
  }

  #fail(path: (string | number)[], message: string, value: unknown, code: string): null {
    if (this.problems.length < 100) this.problems.push({ path, message, value, code });
    return null;
  }
}

/** The schema of a MongoDB-style run filter: checked, copied and frozen. */
export const runFilterExpressionSchema: z.ZodType<RunFilterExpression, unknown> = z
  .unknown()
  .transform((input, ctx): RunFilterExpression => {
    const checker = new Checker();
    const out = checker.expression(input, [], 0);
    for (const p of checker.problems)
      ctx.addIssue({
        code: 'custom',
        path: p.path,
        message: p.message,
        input: p.value,
        params: { code: p.code },
      });
    return checker.problems.length > 0 ? z.NEVER : deepFreeze(out as RunFilterExpression);
  });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
