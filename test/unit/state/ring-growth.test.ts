import { expect, it } from 'vitest';
import { larger, nextPowerOfTwo } from '../../../src/state/ring-growth.js';

it('rings double while small, then grow ×16 up to their ceiling, never below what they must hold', () => {
  expect(larger(1024, 1025, 2 ** 20)).toBe(2048);
  expect(larger(1 << 16, (1 << 16) + 1, 2 ** 20)).toBe(2 ** 20);
  expect(larger(1 << 16, (1 << 16) + 1, 2 ** 17)).toBe(2 ** 17);
  expect(larger(1 << 17, (1 << 17) + 1, 2 ** 17)).toBe(2 ** 18);
  expect(larger(16, 100, Number.POSITIVE_INFINITY)).toBe(128);
  expect(larger(1 << 20, 5 << 20, Number.POSITIVE_INFINITY)).toBe(1 << 24);
  expect([0, 1, 2, 3, 1000, 1 << 20].map(nextPowerOfTwo)).toEqual([1, 1, 2, 4, 1024, 1 << 20]);
});
