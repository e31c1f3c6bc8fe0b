import { expect, it } from 'vitest';
import { SeenIds } from '../../../src/state/seen-ids.js';

it('keeps at most maxCount ids and forgets the oldest first; ids older than maxAge go too', () => {
  const seen = new SeenIds(3, 1000);
  for (const [i, id] of ['a', 'b', 'c', 'd', 'e'].entries()) seen.add('s', id, i);
  expect(['a', 'b', 'c', 'd', 'e'].map((id) => seen.has('s', id))).toEqual([false, false, true, true, true]);
  seen.add('s', 'f', 2000);
  expect(seen.size).toBe(1); // c, d, e are more than 1000 ms older than f
  expect(seen.has('s', 'f')).toBe(true);
});

it('evicts in O(1) per add: a million adds past the cap finish (the Map is never walked from its start)', () => {
  const seen = new SeenIds(1000, Number.POSITIVE_INFINITY);
  for (let i = 0; i < 1_000_000; i++) seen.add('s', String(i), i);
  expect(seen.size).toBe(1000);
  expect(seen.has('s', '999999')).toBe(true);
  expect(seen.has('s', '998999')).toBe(false);
  const restored = new SeenIds(1000, Number.POSITIVE_INFINITY);
  restored.load(seen.save());
  restored.add('s', 'next', 0);
  expect(restored.size).toBe(1000);
  expect(restored.has('s', '999000')).toBe(false);
});

it('forgets a source once all its ids have gone, so one-off sources do not pile up', () => {
  const seen = new SeenIds(2, Number.POSITIVE_INFINITY);
  for (let i = 0; i < 10_000; i++) seen.add(`/source-${i}`, 'id', i);
  expect(seen.size).toBe(2);
  expect(seen.has('/source-9999', 'id')).toBe(true);
  expect(seen.has('/source-9997', 'id')).toBe(false);
  expect(seen.save()).toEqual([
    ['/source-9998\u0000id', 9998],
    ['/source-9999\u0000id', 9999],
  ]);
});
