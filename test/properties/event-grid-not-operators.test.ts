import fc from 'fast-check';
import { describe, it } from 'vitest';
import { compileEventGridFilter } from '../../src/match/event-grid-filter.js';
import type { CloudEvent } from '../../src/schema/cloud-event.js';
import { type AdvancedFilterInput, eventGridFilterSchema } from '../../src/schema/event-grid-filter.js';

// Destructured: tsc wants ['FC_RUNS'] (an index signature), Biome wants .FC_RUNS.
const { FC_RUNS } = process.env;
const numRuns = Number(FC_RUNS ?? 200);

function evaluate(filter: AdvancedFilterInput, value: unknown, arrays = false): boolean {
  const compiled = compileEventGridFilter(
    eventGridFilterSchema.parse({ advancedFilters: [filter], enableAdvancedFilteringOnArrays: arrays }),
  );
  return compiled({ id: 'e', source: 's', type: 't', data: { v: value } });
}

// Letters whose upper case is longer, dotted and dotless i, final sigma, titlecase digraphs, an astral emoji.
const tricky = [
  'a',
  'A',
  's',
  'S',
  'ß',
  'ẞ',
  'i',
  'I',
  'İ',
  'ı',
  'ë',
  'Ë',
  'σ',
  'ς',
  'Σ',
  'ǅ',
  'ǆ',
  'ﬁ',
  'F',
  '/',
  ':',
  '😀',
];
const char = fc.oneof(fc.constantFrom(...tricky), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
const text = fc.string({ unit: char, maxLength: 6 });

/** Often a case variant of `s`, or `s` with text around it, so hits are as common as misses. */
const near = (s: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(s, s.toUpperCase(), s.toLowerCase()),
    fc.tuple(text, text).map(([before, after]) => `${before}${s}${after}`),
    text,
  );

const number = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
const numbers = fc.array(number, { minLength: 1, maxLength: 5 });
const ranges = fc.array(
  fc.tuple(number, number).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a])),
  { minLength: 1, maxLength: 4 },
);
// Non-empty: StringBeginsWith, StringEndsWith and StringContains refuse '' (it would match every value).
const strings = fc.array(fc.string({ unit: char, minLength: 1, maxLength: 6 }), {
  minLength: 1,
  maxLength: 4,
});

const nearNumber = (values: readonly number[]) => fc.oneof(fc.constantFrom(...values), number);
const nearRange = (pairs: readonly [number, number][]) => fc.oneof(fc.constantFrom(...pairs.flat()), number);
const nearString = (values: readonly string[]) => fc.constantFrom(...values).chain(near);

type Operator = AdvancedFilterInput['operatorType'];
type Scenario = {
  readonly values: readonly unknown[];
  readonly scalar: unknown;
  readonly array: readonly unknown[];
};

/** Filter values, then a scalar and an array of the operator's type drawn near them. */
function scenario<V>(
  operand: fc.Arbitrary<V[]>,
  near: (values: V[]) => fc.Arbitrary<unknown>,
): fc.Arbitrary<Scenario> {
  return operand.chain((values) =>
    fc.record({
      values: fc.constant(values),
      scalar: near(values),
      array: fc.array(near(values), { maxLength: 4 }),
    }),
  );
}

const pairs: readonly (readonly [Operator, Operator, fc.Arbitrary<Scenario>])[] = [
  ['NumberNotIn', 'NumberIn', scenario(numbers, nearNumber)],
  ['NumberNotInRange', 'NumberInRange', scenario(ranges, nearRange)],
  ['StringNotIn', 'StringIn', scenario(strings, nearString)],
  ['StringNotContains', 'StringContains', scenario(strings, nearString)],
  ['StringNotBeginsWith', 'StringBeginsWith', scenario(strings, nearString)],
  ['StringNotEndsWith', 'StringEndsWith', scenario(strings, nearString)],
];

describe('each Not operator is the negation of its positive operator on values of its type', () => {
  for (const [not, positive, scenarios] of pairs) {
    it(`${not} = !${positive} on scalars, and on arrays with array filtering`, () => {
      fc.assert(
        fc.property(scenarios, ({ values, scalar, array }) => {
          const filter = (operatorType: Operator) =>
            ({ operatorType, key: 'data.v', values }) as AdvancedFilterInput;
          return (
            evaluate(filter(not), scalar) === !evaluate(filter(positive), scalar) &&
            evaluate(filter(not), array, true) === !evaluate(filter(positive), array, true)
          );
        }),
        { numRuns },
      );
    });
  }
});

/** The reference: fold both sides with toUpperCase unless case-sensitive, then startsWith and endsWith. */
function referenceSubject(
  subject: string | undefined,
  begins: string,
  ends: string,
  sensitive: boolean,
): boolean {
  if (begins === '' && ends === '') return true;
  if (subject === undefined) return false;
  const fold = (s: string) => (sensitive ? s : s.toUpperCase());
  return fold(subject).startsWith(fold(begins)) && fold(subject).endsWith(fold(ends));
}

it('subject filters agree with the reference on generated subjects, prefixes and suffixes', () => {
  const scenario = fc.record({ begins: text, ends: text, sensitive: fc.boolean() }).chain((f) =>
    fc.record({
      begins: fc.constant(f.begins),
      ends: fc.constant(f.ends),
      sensitive: fc.constant(f.sensitive),
      subject: fc.option(
        fc.oneof(
          fc.tuple(near(f.begins), text, near(f.ends)).map(([b, m, e]) => `${b}${m}${e}`),
          fc.tuple(near(f.begins), near(f.ends)).map(([b, e]) => `${b}${e}`),
          text,
        ),
        { nil: undefined },
      ),
    }),
  );
  fc.assert(
    fc.property(scenario, ({ begins, ends, sensitive, subject }) => {
      const compiled = compileEventGridFilter(
        eventGridFilterSchema.parse({
          subjectBeginsWith: begins,
          subjectEndsWith: ends,
          isSubjectCaseSensitive: sensitive,
        }),
      );
      const event: CloudEvent = {
        id: 'e',
        source: 's',
        type: 't',
        ...(subject !== undefined && { subject }),
      };
      return compiled(event) === referenceSubject(subject, begins, ends, sensitive);
    }),
    { numRuns },
  );
});
