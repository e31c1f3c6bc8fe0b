import type { AdvancedFilter, NullOperator, NumberRange, StringOperator } from '../schema/advanced-filter.js';
import type { CloudEvent } from '../schema/cloud-event.js';
import { compileKey } from './resolve-key.js';

/** Does one scalar hit the operator's values? `false` for a value of another type. */
type Hit = (value: unknown) => boolean;

type Compiled = {
  readonly hit: Hit;
  /** A `Not` operator: true iff nothing hits. */
  readonly negated: boolean;
  readonly whenMissing: boolean;
};

const numberHit =
  (test: (n: number) => boolean): Hit =>
  (value) =>
    typeof value === 'number' && test(value);

/** Strings, and numbers and booleans as their JSON text, folded to upper case to ignore case. */
const stringHit =
  (test: (folded: string) => boolean): Hit =>
  (value) => {
    if (typeof value === 'string') return test(value.toUpperCase());
    if (typeof value === 'number' || typeof value === 'boolean') return test(String(value).toUpperCase());
    return false;
  };

const inRanges = (ranges: readonly NumberRange[], n: number): boolean =>
  ranges.some(([low, high]) => low <= n && n <= high);

function compileHit(filter: Exclude<AdvancedFilter, { readonly operatorType: NullOperator }>): Compiled {
  const positive = (hit: Hit): Compiled => ({ hit, negated: false, whenMissing: false });
  const not = (hit: Hit, whenMissing = false): Compiled => ({ hit, negated: true, whenMissing });
  switch (filter.operatorType) {
    case 'NumberIn':
    case 'NumberNotIn': {
      const { values } = filter;
      const hit = numberHit((n) => values.includes(n));
      return filter.operatorType === 'NumberIn' ? positive(hit) : not(hit, true);
    }
    case 'NumberInRange':
    case 'NumberNotInRange': {
      const { values } = filter;
      const hit = numberHit((n) => inRanges(values, n));
      return filter.operatorType === 'NumberInRange' ? positive(hit) : not(hit, true);
    }
    case 'NumberLessThan': {
      const { value } = filter;
      return positive(numberHit((n) => n < value));
    }
    case 'NumberGreaterThan': {
      const { value } = filter;
      return positive(numberHit((n) => n > value));
    }
    case 'NumberLessThanOrEquals': {
      const { value } = filter;
      return positive(numberHit((n) => n <= value));
    }
    case 'NumberGreaterThanOrEquals': {
      const { value } = filter;
      return positive(numberHit((n) => n >= value));
    }
    case 'BoolEquals': {
      const { value } = filter;
      return positive((v) => v === value);
    }
    default:
      return compileStringHit(filter.operatorType, filter.values);
  }
}

const STRING_TESTS: Readonly<Record<StringOperator, (folded: readonly string[]) => (s: string) => boolean>> =
  {
    StringIn: (values) => (s) => values.includes(s),
    StringNotIn: (values) => (s) => values.includes(s),
    StringContains: (values) => (s) => values.some((v) => s.includes(v)),
    StringNotContains: (values) => (s) => values.some((v) => s.includes(v)),
    StringBeginsWith: (values) => (s) => values.some((v) => s.startsWith(v)),
    StringNotBeginsWith: (values) => (s) => values.some((v) => s.startsWith(v)),
    StringEndsWith: (values) => (s) => values.some((v) => s.endsWith(v)),
    StringNotEndsWith: (values) => (s) => values.some((v) => s.endsWith(v)),
  };

function compileStringHit(operator: StringOperator, values: readonly string[]): Compiled {
  const hit = stringHit(STRING_TESTS[operator](values.map((v) => v.toUpperCase())));
  // Of the string `Not` operators only StringNotIn matches a missing key, as in Event Grid.
  return { hit, negated: operator.startsWith('StringNot'), whenMissing: operator === 'StringNotIn' };
}

function anyHit(values: readonly unknown[], hit: Hit): boolean {
  for (const value of values) if (hit(value)) return true;
  return false;
}

/** Compile one advanced filter to a predicate on events. */
export function compileAdvancedFilter(
  filter: AdvancedFilter,
  filterArrays: boolean,
): (event: CloudEvent) => boolean {
  const read = compileKey(filter.key);
  if (filter.operatorType === 'IsNullOrUndefined' || filter.operatorType === 'IsNotNull') {
    // These look at the value itself, array or not: missing and null are alike, anything else is present.
    const wantsNull = filter.operatorType === 'IsNullOrUndefined';
    return (event) => (read(event) == null) === wantsNull;
  }
  const { hit, negated, whenMissing } = compileHit(filter);
  return (event) => {
    const value = read(event);
    if (value === undefined) return whenMissing;
    if (value === null) return negated;
    // Without array filtering an array is no value at all for these operators, so even `Not` fails.
    if (Array.isArray(value)) return filterArrays && anyHit(value, hit) !== negated;
    return hit(value) !== negated;
  };
}
