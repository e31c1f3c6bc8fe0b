import type { JsonValue } from './json-value.js';
import type { RunFilterExpression } from './run-filter-expression.js';

/** Every `$regex` of a checked expression, with its path inside it: the engine's own pattern engine must accept each. */
export function expressionPatterns(
  expr: JsonValue,
  path: (string | number)[] = [],
): [(string | number)[], string][] {
  if (Array.isArray(expr)) return expr.flatMap((e, i) => expressionPatterns(e, [...path, i]));
  if (typeof expr !== 'object' || expr === null) return [];
  return Object.keys(expr).flatMap((key) => {
    const v = (expr as RunFilterExpression)[key] as JsonValue;
    if (key === '$regex' && typeof v === 'string')
      return [[[...path, key], v] as [(string | number)[], string]];
    // Operands of $eq, $in, … are values, not expressions: a "$regex" key inside them is only data.
    if (key.startsWith('$') && !['$and', '$or', '$nor', '$not'].includes(key)) return [];
    return expressionPatterns(v, [...path, key]);
  });
}
