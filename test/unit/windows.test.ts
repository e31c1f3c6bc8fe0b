import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TrailingExtreme } from '../../src/windows/trailing-extreme.js';
import { TrailingMoments } from '../../src/windows/trailing-moments.js';
import { TrailingSum } from '../../src/windows/trailing-sum.js';
import { ValueRing } from '../../src/windows/value-ring.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);

/** Push values through a ring and aggregates, returning after each value what the naive slice gives and what the aggregate gives. */
function drive(values: number[], size: number, lag: number) {
  const ring = new ValueRing(size + lag + 1);
  const sum = new TrailingSum({ kind: 'sum', size, lag }, 0);
  const min = new TrailingExtreme({ kind: 'min', size, lag }, 0);
  const max = new TrailingExtreme({ kind: 'max', size, lag }, 0);
  const out: { naive: number[]; sum: number; min: number; max: number }[] = [];
  for (const v of values) {
    ring.push(v);
    for (const a of [sum, min, max]) a.push(ring);
    const end = ring.count - lag;
    if (end - size < 0) continue;
    const naive = values.slice(end - size, end);
    out.push({ naive, sum: sum.sum, min: ring.at(min.index), max: ring.at(max.index) });
  }
  return out;
}

describe('trailing aggregates', () => {
  it('min, max and sum over a lagged window equal slice-and-reduce on every value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        (values, size, lag) => {
          for (const step of drive(values, size, lag)) {
            expect(step.sum).toBe(step.naive.reduce((a, b) => a + b, 0));
            expect(step.min).toBe(Math.min(...step.naive));
            expect(step.max).toBe(Math.max(...step.naive));
          }
        },
      ),
      { numRuns: runs },
    );
  });

  it('a running sum does not drift over a million values (recomputed every window)', () => {
    const size = 7;
    const ring = new ValueRing(size + 1);
    const sum = new TrailingSum({ kind: 'sum', size, lag: 0 }, 0);
    let x = 0.1;
    for (let i = 0; i < 1_000_000; i++) {
      x = (x * 7919.123 + 0.3) % 1000.7; // deterministic, irregular, non-dyadic
      ring.push(i % 100_000 === 0 ? 1e12 : x); // huge values force cancellation in a naive running sum
      sum.push(ring);
    }
    let exact = 0;
    for (let i = ring.count - size; i < ring.count; i++) exact += ring.at(i);
    expect(Math.abs(sum.sum - exact)).toBeLessThanOrEqual(Math.abs(exact) * 1e-12);
  });

  it('shifted moments keep the variance exact for values far from zero', () => {
    const w = 5;
    const ring = new ValueRing(w + 2);
    const m = new TrailingMoments({ kind: 'moments', size: w, lag: 0 }, 0);
    const base = 1e9;
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((v) => base + v * 0.5);
    for (const v of values) {
      ring.push(v);
      m.push(ring);
    }
    // The last 5 values are base + 4..6 step 0.5: population variance = 0.5.
    const variance = m.sumSquares / w - (m.sum / w) ** 2;
    expect(variance).toBeCloseTo(0.5, 12);
    expect(m.shift + m.sum / w).toBe(base + 5);
  });

  it('an aggregate created later counts only values from its start', () => {
    const ring = new ValueRing(8);
    for (const v of [100, 100, 100]) ring.push(v);
    const sum = new TrailingSum({ kind: 'sum', size: 3, lag: 0 }, ring.count);
    const min = new TrailingExtreme({ kind: 'min', size: 3, lag: 0 }, ring.count);
    for (const v of [5, 6]) {
      ring.push(v);
      sum.push(ring);
      min.push(ring);
    }
    expect(sum.sum).toBe(11);
    expect(ring.at(min.index)).toBe(5);
  });

  it('a ring that grows keeps the values it held', () => {
    const ring = new ValueRing(3);
    for (const v of [1, 2, 3, 4, 5]) ring.push(v);
    ring.ensureCapacity(10);
    expect(ring.slice(2, 4)).toEqual([3, 4, 5]);
    ring.push(6);
    expect(ring.slice(2, 5)).toEqual([3, 4, 5, 6]);
    expect(ring.bytes).toBe(80);
  });
});
