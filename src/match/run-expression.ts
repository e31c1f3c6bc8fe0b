import { sameJson as equal } from '../schema/json-object.js';
import type { JsonValue } from '../schema/json-value.js';
import { RUN_FIELDS, type RunFilterExpression } from '../schema/run-filter-expression.js';
import type { PatternCache } from './pattern-cache.js';

/** What a MongoDB-style run filter reads of a run; `undefined` is a missing field. */
export interface RunDocument {
  readonly runName: string | undefined;
  readonly user: string | undefined;
  readonly tags: readonly string[] | undefined;
  readonly state: string | undefined;
  readonly config: { readonly [key: string]: JsonValue } | undefined;
}

type Test = (run: RunDocument) => boolean;
/** A test of one field's value; `undefined` is a missing field. */
type ValueTest = (value: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Order within one type only: a number is never compared with a string (undefined). */
function order(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a === null && b === null) return 0;
  return undefined;
}

/** MongoDB's array rule: an array field matches when the array itself or any of its elements does. */
const anyOf =
  (test: (v: unknown) => boolean): ValueTest =>
  (v) =>
    v !== undefined && (test(v) || (Array.isArray(v) && v.some(test)));

function compared(operand: unknown, ok: (sign: number) => boolean): ValueTest {
  return anyOf((v) => {
    const sign = order(v, operand);
    return sign !== undefined && ok(sign);
  });
}

function operator(op: string, operand: JsonValue, patterns: PatternCache): ValueTest {
  switch (op) {
    case '$eq':
      return anyOf((v) => equal(v, operand));
    case '$ne': {
      const eq = anyOf((v) => equal(v, operand));
      return (v) => !eq(v);
    }
    case '$gt':
      return compared(operand, (s) => s > 0);
    case '$gte':
      return compared(operand, (s) => s >= 0);
    case '$lt':
      return compared(operand, (s) => s < 0);
    case '$lte':
      return compared(operand, (s) => s <= 0);
    case '$in': {
      const list = operand as readonly JsonValue[];
      return anyOf((v) => list.some((x) => equal(v, x)));
    }
    case '$nin': {
      const list = operand as readonly JsonValue[];
      const hit = anyOf((v) => list.some((x) => equal(v, x)));
      return (v) => !hit(v);
    }
    case '$exists':
      return operand === true ? (v) => v !== undefined : (v) => v === undefined;
    case '$regex': {
      const pattern = patterns.compile(operand as string);
      return anyOf((v) => typeof v === 'string' && pattern.test(v));
    }
    case '$contains':
      return (v) =>
        typeof v === 'string'
          ? typeof operand === 'string' && v.includes(operand)
          : Array.isArray(v) && v.some((x) => equal(x, operand));
    case '$size':
      return (v) => Array.isArray(v) && v.length === operand;
    case '$all': {
      const list = operand as readonly JsonValue[];
      if (list.length === 0) return () => false;
      return (v) =>
        v !== undefined &&
        list.every((x) => (Array.isArray(v) ? v.some((e) => equal(e, x)) || equal(v, x) : equal(v, x)));
    }
    case '$not': {
      const inner = condition(operand, patterns);
      return (v) => !inner(v);
    }
    default:
      throw new Error(`unknown run filter operator ${op}: the schema should have refused it`);
  }
}

/** A field's condition: an operator object (all must hold), else a value it must equal. */
function condition(spec: JsonValue, patterns: PatternCache): ValueTest {
  if (isObject(spec)) {
    const keys = Object.keys(spec);
    if (keys.length > 0 && keys.every((k) => k.startsWith('$')))
      return every(keys.map((k) => operator(k, spec[k] as JsonValue, patterns)));
  }
  return operator('$eq', spec, patterns);
}

function every<T>(tests: readonly ((x: T) => boolean)[]): (x: T) => boolean {
  if (tests.length === 1) return tests[0] as (x: T) => boolean;
  return (x) => {
    for (const t of tests) if (!t(x)) return false;
    return true;
  };
}

/** A field's value in the run: its name, user, tags, state, or a value inside its config. */
function reader(field: string): (run: RunDocument) => unknown {
  const known = Object.hasOwn(RUN_FIELDS, field) ? RUN_FIELDS[field] : undefined;
  if (known !== undefined) return (run) => run[known];
  const path = field.slice('config.'.length).split('.');
  return (run) => {
    let at: unknown = run.config;
    for (const part of path) {
      if (Array.isArray(at) && /^(0|[1-9]\d*)$/.test(part)) at = at[Number(part)];
      else if (isObject(at) && Object.hasOwn(at, part)) at = at[part];
      else return undefined;
    }
    return at;
  };
}

function clause(expr: RunFilterExpression, patterns: PatternCache): Test {
  const parts = Object.keys(expr).map((key): Test => {
    const spec = expr[key] as JsonValue;
    const list = () => (spec as RunFilterExpression[]).map((e) => clause(e, patterns));
    if (key === '$and') return every(list());
    if (key === '$or') {
      const tests = list();
      return (run) => tests.some((t) => t(run));
    }
    if (key === '$nor') {
      const tests = list();
      return (run) => !tests.some((t) => t(run));
    }
    if (key === '$not') {
      const inner = clause(spec as RunFilterExpression, patterns);
      return (run) => !inner(run);
    }
    const read = reader(key);
    const test = condition(spec, patterns);
    return (run) => test(read(run));
  });
  return parts.length === 0 ? () => true : every(parts);
}

/**
 * Compiles a validated MongoDB-style run filter once: patterns through the pattern engine, each field read by
 * a reader chosen now. MongoDB's rules: a missing field fails every test but `$ne`, `$nin` and `$exists: false`;
 * an array field matches when it or any element does; values of different types never compare.
 */
export function compileRunExpression(expr: RunFilterExpression, patterns: PatternCache): Test {
  return clause(expr, patterns);
}
