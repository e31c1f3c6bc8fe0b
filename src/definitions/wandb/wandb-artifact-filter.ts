import type { IssuePath } from '../../errors/issue.js';
import type { WandbReader } from './wandb-reader.js';

/** Every alias: no constraint. */
const ALL = Symbol('all');
type Alias = string | typeof ALL | undefined;

/** RE2 metacharacters escaped, so a value is matched as written. */
const literal = (text: string): string => text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');

/**
 * W&B's artifact event filter (`{ "$or": [{ "$and": [{ "alias": { "$regex": "^prod" } }] }] }`, saved wrapped as
 * `{ "filter": … }`) as one RE2 alias pattern, or undefined for every alias. `$eq` becomes an anchored literal,
 * `$in` an anchored alternation, `$contains` a literal; a negation cannot be said by a pattern and is refused.
 */
export function aliasPattern(
  r: WandbReader,
  filter: Record<string, unknown>,
  path: IssuePath,
): string | undefined {
  const found = expression(r, filter, path);
  return found === ALL ? undefined : found;
}

function expression(r: WandbReader, e: unknown, path: IssuePath): Alias {
  if (typeof e !== 'object' || e === null || Array.isArray(e))
    return r.fail(path, 'expected a filter expression object', e, 'invalid_type');
  const parts: Alias[] = Object.entries(e).map(([key, value]) => {
    const at = [...path, key];
    if (key === 'filter') return expression(r, r.parsed(value, at, 'the saved filter'), at);
    if (key === '$or') return either(r, value, at);
    if (key === '$and') return both(r, value, at);
    if (key === 'alias') return condition(r, value, at);
    if (key === '$nor' || key === '$not')
      return r.fail(at, `${key}: an alias pattern cannot say a negation`, key, 'invalid_value');
    return r.fail(at, `${key}: an artifact filter here names only alias`, key, 'unrecognized_keys');
  });
  return combineAnd(r, parts, path);
}

function either(r: WandbReader, value: unknown, path: IssuePath): Alias {
  if (!Array.isArray(value)) return r.fail(path, '$or takes a list', value, 'invalid_type');
  const branches = value.map((b, i) => expression(r, b, [...path, i]));
  if (branches.some((b) => b === undefined)) return undefined;
  if (branches.length === 0) return r.fail(path, 'an empty $or matches nothing', value, 'invalid_value');
  if (branches.includes(ALL)) return ALL;
  const patterns = branches as string[];
  return patterns.length === 1 ? patterns[0] : patterns.map((p) => `(?:${p})`).join('|');
}

function both(r: WandbReader, value: unknown, path: IssuePath): Alias {
  if (!Array.isArray(value)) return r.fail(path, '$and takes a list', value, 'invalid_type');
  return combineAnd(
    r,
    value.map((c, i) => expression(r, c, [...path, i])),
    path,
  );
}

/** Clauses that must all hold: at most one may constrain the alias (two patterns cannot be joined into one). */
function combineAnd(r: WandbReader, parts: readonly Alias[], path: IssuePath): Alias {
  if (parts.some((p) => p === undefined)) return undefined;
  const patterns = parts.filter((p): p is string => p !== ALL);
  if (patterns.length === 0) return ALL;
  if (patterns.length > 1)
    return r.fail(
      path,
      'two alias conditions that must both hold cannot be one pattern',
      patterns,
      'invalid_value',
    );
  return patterns[0];
}

function condition(r: WandbReader, c: unknown, path: IssuePath): Alias {
  if (typeof c === 'string') return `^${literal(c)}$`;
  if (typeof c !== 'object' || c === null || Array.isArray(c))
    return r.fail(path, 'expected an alias or an operator object', c, 'invalid_type');
  const parts: Alias[] = Object.entries(c).map(([op, v]) => {
    const at = [...path, op];
    switch (op) {
      case '$regex':
        return typeof v === 'string' ? v : r.fail(at, '$regex takes a pattern', v, 'invalid_type');
      case '$eq':
        return typeof v === 'string'
          ? `^${literal(v)}$`
          : r.fail(at, '$eq takes an alias', v, 'invalid_type');
      case '$contains':
        return typeof v === 'string' ? literal(v) : r.fail(at, '$contains takes text', v, 'invalid_type');
      case '$in':
        return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')
          ? `^(?:${v.map(literal).join('|')})$`
          : r.fail(at, '$in takes a list of aliases', v, 'invalid_type');
      case '$ne':
      case '$nin':
      case '$not':
        return r.fail(at, `${op}: an alias pattern cannot say a negation`, op, 'invalid_value');
      default:
        return r.fail(at, `${op}: not an alias operator we can express`, op, 'unrecognized_keys');
    }
  });
  return combineAnd(r, parts, path);
}
