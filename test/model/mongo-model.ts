/**
 * A MongoDB-style run filter evaluator written straight from SEMANTICS §3.5, for property tests: slow, recursive,
 * one rule per line, nothing compiled or cached. Patterns here are the test's own fixed ones, where RE2 and
 * JavaScript agree.
 */
export type ModelRun = {
  runName?: string;
  user?: string;
  tags?: string[];
  state?: string;
  config?: Record<string, unknown>;
};

type Json = unknown;
const MISSING = Symbol('missing');
type Value = Json | typeof MISSING;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep JSON equality; object keys in any order. */
export function same(a: Json, b: Json): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
function canonical(v: Json): Json {
  if (Array.isArray(v)) return v.map(canonical);
  if (isPlainObject(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical(v[k])]),
    );
  return v;
}

function field(run: ModelRun, name: string): Value {
  if (name === 'display_name' || name === 'name') return run.runName ?? MISSING;
  if (name === 'username' || name === 'user') return run.user ?? MISSING;
  if (name === 'tags') return run.tags ?? MISSING;
  if (name === 'state') return run.state ?? MISSING;
  // config.<path>: through objects by key, through arrays by index.
  let at: Value = run.config ?? MISSING;
  for (const part of name.slice('config.'.length).split('.')) {
    if (Array.isArray(at) && /^\d+$/.test(part) && String(Number(part)) === part && Number(part) < at.length)
      at = at[Number(part)];
    else if (isPlainObject(at) && Object.keys(at).includes(part)) at = at[part];
    else return MISSING;
  }
  return at;
}

/** Same-type order, or undefined: a number never compares with a string. */
function cmp(a: Json, b: Json): number | undefined {
  const ta = a === null ? 'null' : typeof a;
  const tb = b === null ? 'null' : typeof b;
  if (ta !== tb || !['number', 'string', 'boolean', 'null'].includes(ta)) return undefined;
  if (ta === 'null') return 0;
  if (ta === 'boolean') return Number(a) - Number(b);
  return (a as number | string) < (b as number | string)
    ? -1
    : (a as number | string) > (b as number | string)
      ? 1
      : 0;
}

function ordered(a: Json, b: Json, ok: (sign: number) => boolean): boolean {
  const sign = cmp(a, b);
  return sign !== undefined && ok(sign);
}

/** The value itself, then (for an array) each element: MongoDB's array rule. */
function candidates(v: Value): Json[] {
  if (v === MISSING) return [];
  return Array.isArray(v) ? [v, ...v] : [v];
}

function operator(op: string, arg: Json, v: Value, regex: (p: string) => RegExp): boolean {
  switch (op) {
    case '$eq':
      return candidates(v).some((c) => same(c, arg));
    case '$ne':
      return !operator('$eq', arg, v, regex);
    case '$gt':
      return candidates(v).some((c) => ordered(c, arg, (s) => s > 0));
    case '$gte':
      return candidates(v).some((c) => ordered(c, arg, (s) => s >= 0));
    case '$lt':
      return candidates(v).some((c) => ordered(c, arg, (s) => s < 0));
    case '$lte':
      return candidates(v).some((c) => ordered(c, arg, (s) => s <= 0));
    case '$in':
      return (arg as Json[]).some((x) => operator('$eq', x, v, regex));
    case '$nin':
      return !operator('$in', arg, v, regex);
    case '$exists':
      return (v !== MISSING) === arg;
    case '$regex':
      return candidates(v).some((c) => typeof c === 'string' && regex(arg as string).test(c));
    case '$contains':
      if (typeof v === 'string') return typeof arg === 'string' && v.includes(arg);
      return Array.isArray(v) && v.some((e) => same(e, arg));
    case '$size':
      return Array.isArray(v) && v.length === arg;
    case '$all':
      if (v === MISSING || (arg as Json[]).length === 0) return false;
      return (arg as Json[]).every((x) => operator('$eq', x, v, regex));
    case '$not':
      return !condition(arg, v, regex);
    default:
      throw new Error(`model: unknown operator ${op}`);
  }
}

function condition(spec: Json, v: Value, regex: (p: string) => RegExp): boolean {
  const isOperators =
    isPlainObject(spec) && Object.keys(spec).length > 0 && Object.keys(spec).every((k) => k.startsWith('$'));
  if (!isOperators) return operator('$eq', spec, v, regex);
  return Object.entries(spec as Record<string, Json>).every(([op, arg]) => operator(op, arg, v, regex));
}

export function modelMatches(
  expr: Record<string, Json>,
  run: ModelRun,
  regex: (p: string) => RegExp,
): boolean {
  return Object.entries(expr).every(([key, spec]) => {
    if (key === '$and') return (spec as Record<string, Json>[]).every((e) => modelMatches(e, run, regex));
    if (key === '$or') return (spec as Record<string, Json>[]).some((e) => modelMatches(e, run, regex));
    if (key === '$nor') return !(spec as Record<string, Json>[]).some((e) => modelMatches(e, run, regex));
    if (key === '$not') return !modelMatches(spec as Record<string, Json>, run, regex);
    return condition(spec, field(run, key), regex);
  });
}
