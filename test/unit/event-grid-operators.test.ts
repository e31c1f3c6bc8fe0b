import { describe, expect, it } from 'vitest';
import { compileEventGridFilter } from '../../src/match/event-grid-filter.js';
import {
  ADVANCED_OPERATORS,
  type AdvancedFilterInput,
  type AdvancedOperator,
  eventGridFilterSchema,
} from '../../src/schema/event-grid-filter.js';

/** The value at `data.v`, one column per kind; `missing` leaves the key out. */
const MISSING = Symbol('missing');
const columns: readonly (readonly [string, unknown])[] = [
  ['missing', MISSING],
  ['null', null],
  ['5', 5],
  ["'5'", '5'],
  ["'abc'", 'abc'],
  ['true', true],
  ['[1, 5]', [1, 5]],
  ["['abc', 'x']", ['abc', 'x']],
  ['[{ a: 5 }]', [{ a: 5 }]],
  ['{ a: 5 }', { a: 5 }],
];

type Row = readonly boolean[];
type Case = {
  readonly filter: Omit<AdvancedFilterInput, 'operatorType' | 'key'>;
  readonly off: Row;
  readonly on: Row;
};

const T = true;
const F = false;

// Written out by hand from SEMANTICS §6; `off` and `on` are enableAdvancedFilteringOnArrays.
// biome-ignore format: a table reads best aligned
const table: Readonly<Record<AdvancedOperator, Case>> = {
  // each row, in column order: missing, null, 5, '5', 'abc', true, [1, 5], ['abc', 'x'], [{ a: 5 }], { a: 5 }
  NumberIn:                  { filter: { values: [5] },          off: [F, F, T, F, F, F, F, F, F, F], on: [F, F, T, F, F, F, T, F, F, F] },
  NumberNotIn:               { filter: { values: [5] },          off: [T, T, F, T, T, T, F, F, F, T], on: [T, T, F, T, T, T, F, T, T, T] },
  NumberLessThan:            { filter: { value: 5 },             off: [F, F, F, F, F, F, F, F, F, F], on: [F, F, F, F, F, F, T, F, F, F] },
  NumberGreaterThan:         { filter: { value: 4 },             off: [F, F, T, F, F, F, F, F, F, F], on: [F, F, T, F, F, F, T, F, F, F] },
  NumberLessThanOrEquals:    { filter: { value: 5 },             off: [F, F, T, F, F, F, F, F, F, F], on: [F, F, T, F, F, F, T, F, F, F] },
  NumberGreaterThanOrEquals: { filter: { value: 6 },             off: [F, F, F, F, F, F, F, F, F, F], on: [F, F, F, F, F, F, F, F, F, F] },
  NumberInRange:             { filter: { values: [[4, 6]] },     off: [F, F, T, F, F, F, F, F, F, F], on: [F, F, T, F, F, F, T, F, F, F] },
  NumberNotInRange:          { filter: { values: [[4, 6]] },     off: [T, T, F, T, T, T, F, F, F, T], on: [T, T, F, T, T, T, F, T, T, T] },
  BoolEquals:                { filter: { value: true },          off: [F, F, F, F, F, T, F, F, F, F], on: [F, F, F, F, F, T, F, F, F, F] },
  StringIn:                  { filter: { values: ['5', 'ABC'] }, off: [F, F, T, T, T, F, F, F, F, F], on: [F, F, T, T, T, F, T, T, F, F] },
  StringNotIn:               { filter: { values: ['5', 'ABC'] }, off: [T, T, F, F, F, T, F, F, F, T], on: [T, T, F, F, F, T, F, F, T, T] },
  StringContains:            { filter: { values: ['B'] },        off: [F, F, F, F, T, F, F, F, F, F], on: [F, F, F, F, T, F, F, T, F, F] },
  StringNotContains:         { filter: { values: ['B'] },        off: [F, T, T, T, F, T, F, F, F, T], on: [F, T, T, T, F, T, T, F, T, T] },
  StringBeginsWith:          { filter: { values: ['TR', '5'] },  off: [F, F, T, T, F, T, F, F, F, F], on: [F, F, T, T, F, T, T, F, F, F] },
  StringNotBeginsWith:       { filter: { values: ['TR', '5'] },  off: [F, T, F, F, T, F, F, F, F, T], on: [F, T, F, F, T, F, F, T, T, T] },
  StringEndsWith:            { filter: { values: ['C'] },        off: [F, F, F, F, T, F, F, F, F, F], on: [F, F, F, F, T, F, F, T, F, F] },
  StringNotEndsWith:         { filter: { values: ['UE'] },       off: [F, T, T, T, T, F, F, F, F, T], on: [F, T, T, T, T, F, T, T, T, T] },
  IsNullOrUndefined:         { filter: {},                       off: [T, T, F, F, F, F, F, F, F, F], on: [T, T, F, F, F, F, F, F, F, F] },
  IsNotNull:                 { filter: {},                       off: [F, F, T, T, T, T, T, T, T, T], on: [F, F, T, T, T, T, T, T, T, T] },
};

/** Row by column name, so a failure names the value kind. */
function named(row: Row): Record<string, boolean | undefined> {
  return Object.fromEntries(columns.map(([name], i) => [name, row[i]]));
}

function observed(operatorType: AdvancedOperator, filter: Case['filter'], arrays: boolean): Row {
  const compiled = compileEventGridFilter(
    eventGridFilterSchema.parse({
      enableAdvancedFilteringOnArrays: arrays,
      advancedFilters: [{ ...filter, operatorType, key: 'data.v' }],
    }),
  );
  return columns.map(([, value]) =>
    compiled({ id: 'e', source: 's', type: 't', data: value === MISSING ? { other: 1 } : { v: value } }),
  );
}

describe('advanced operators: the truth table', () => {
  it('covers every operator', () => {
    expect(Object.keys(table).sort()).toEqual([...ADVANCED_OPERATORS].sort());
  });

  for (const operatorType of ADVANCED_OPERATORS) {
    const { filter, off, on } = table[operatorType];
    it(`${operatorType} ${JSON.stringify(filter)}`, () => {
      expect(named(observed(operatorType, filter, false))).toEqual(named(off));
      expect(named(observed(operatorType, filter, true))).toEqual(named(on));
    });
  }
});
