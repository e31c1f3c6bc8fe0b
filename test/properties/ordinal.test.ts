// English ordinals, as the report says which points a thinned chart draws ("every 2nd").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ordinal } from '../../src/cli/report/ordinal.js';

const numRuns = Number(process.env['FC_RUNS'] ?? 200);

/** The rule as a style guide states it, on the digits: teens take "th"; else the last digit decides. */
function model(n: number): string {
  const digits = String(n);
  const last = digits.at(-1);
  if (digits.at(-2) === '1') return `${digits}th`;
  const suffix: Record<string, string> = { '1': 'st', '2': 'nd', '3': 'rd' };
  return digits + (suffix[last ?? ''] ?? 'th');
}

describe('ordinal', () => {
  it('gives the examples', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112, 1000, 1002, 0].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '111th',
      '112th',
      '1000th',
      '1002nd',
      '0th',
    ]);
  });

  it('agrees with the rule on the digits for every whole number', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), (n) => {
        expect(ordinal(n)).toBe(model(n));
      }),
      { numRuns },
    );
  });
});
