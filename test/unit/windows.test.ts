import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AggregateSpec } from '../../src/windows/aggregate.js';
import { SeriesArena } from '../../src/windows/arena.js';
import { SeriesLayout } from '../../src/windows/layout.js';
import { MetricSeries } from '../../src/windows/metric-series.js';
import { loadSeries, saveSeries } from '../../src/windows/saved-series.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);

const reader = (...needs: AggregateSpec[]) => ({ filter: { needs, history: 1 } });
/** A series laid out for one reader per spec; `slots[i]` is spec i's aggregate. */
function seriesOf(...specs: AggregateSpec[]) {
  const layout = new SeriesLayout(specs.map((spec) => reader(spec)));
  const series = new MetricSeries(new SeriesArena(), layout);
  const slots = layout.bindings.map((b) => b.aggregates[0]!.offset);
  return { layout, series, slots };
}

/** Push values through a ring and aggregates, returning after each value what the naive slice gives and what the aggregate gives. */
function drive(values: number[], size: number, lag: number) {
  const { series, slots } = seriesOf(
    { kind: 'sum', size, lag },
    { kind: 'min', size, lag },
    { kind: 'max', size, lag },
  );
  const [sum, min, max] = slots as [number, number, number];
  const out: { naive: number[]; sum: number; min: number; max: number }[] = [];
  for (const v of values) {
    series.push(v);
    const end = series.count - lag;
    if (end - size < 0) continue;
    const naive = values.slice(end - size, end);
    out.push({ naive, sum: series.sum(sum), min: series.extreme(min), max: series.extreme(max) });
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
    const { series, slots } = seriesOf({ kind: 'sum', size, lag: 0 });
    let x = 0.1;
    for (let i = 0; i < 1_000_000; i++) {
      x = (x * 7919.123 + 0.3) % 1000.7; // deterministic, irregular, non-dyadic
      series.push(i % 100_000 === 0 ? 1e12 : x); // huge values force cancellation in a naive running sum
    }
    let exact = 0;
    for (let i = series.count - size; i < series.count; i++) exact += series.at(i);
    expect(Math.abs(series.sum(slots[0]!) - exact)).toBeLessThanOrEqual(Math.abs(exact) * 1e-12);
  });

  it('shifted moments keep the variance exact for values far from zero', () => {
    const w = 5;
    const { series, slots } = seriesOf({ kind: 'moments', size: w, lag: 0 });
    const m = slots[0]!;
    const base = 1e9;
    for (const v of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) series.push(base + v * 0.5);
    // The last 5 values are base + 4..6 step 0.5: population variance = 0.5.
    const variance = series.shiftedSquares(m) / w - (series.shiftedSum(m) / w) ** 2;
    expect(variance).toBeCloseTo(0.5, 12);
    expect(series.shift(m) + series.shiftedSum(m) / w).toBe(base + 5);
  });

  it('an aggregate that joins later (a migration) counts only values from its start; a kept one keeps its state', () => {
    const first = seriesOf({ kind: 'sum', size: 3, lag: 0 });
    const { series } = first;
    for (const v of [100, 100, 100]) series.push(v);
    const kept = first.layout.watchers[0]!;
    const joined = new SeriesLayout([
      kept,
      reader({ kind: 'min', size: 3, lag: 0 }),
      reader({ kind: 'sum', size: 2, lag: 0 }),
    ]);
    series.migrate(joined);
    const [sum, min, late] = joined.bindings.map((b) => b.aggregates[0]!.offset) as [number, number, number];
    expect(series.sum(sum)).toBe(300);
    for (const v of [5, 6]) series.push(v);
    expect(series.sum(sum)).toBe(111);
    expect(series.extreme(min)).toBe(5);
    expect(series.sum(late)).toBe(11);
    expect(joined.bindings.map((b) => series.firstIndex(b.first))).toEqual([0, 3, 3]);
  });

  it('a series re-laid for a larger ring keeps the values it held', () => {
    const { series } = seriesOf({ kind: 'sum', size: 2, lag: 0 });
    for (const v of [1, 2, 3, 4, 5]) series.push(v);
    series.migrate(new SeriesLayout([reader({ kind: 'sum', size: 9, lag: 0 })]));
    expect(series.slice(2, 4)).toEqual([3, 4, 5]);
    series.push(6);
    expect(series.slice(2, 5)).toEqual([3, 4, 5, 6]);
    expect(series.layout.capacity).toBe(10);
  });

  it('a saved series loads into the same numbers, for a layout of the same readers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 5 }),
        (values, size, lag) => {
          const specs: AggregateSpec[] = (['sum', 'min', 'max', 'moments'] as const).map((kind) => ({
            kind,
            size,
            lag,
          }));
          const { layout, series } = seriesOf(...specs);
          const ids = new Map<unknown, string>(layout.watchers.map((w, i) => [w, `a${i}`]));
          for (const v of values) series.push(v);
          const saved = structuredClone(saveSeries(series, (w) => ids.get(w)));
          const loaded = loadSeries(saved, new SeriesArena(), layout, (w) => ids.get(w));
          // Deques load compacted, so compare what the state means: the saved form, before and after more values.
          for (const v of [...values.slice(0, 2 * size + lag), undefined]) {
            expect(saveSeries(loaded, (w) => ids.get(w))).toEqual(saveSeries(series, (w) => ids.get(w)));
            if (v === undefined) break;
            series.push(v);
            loaded.push(v);
          }
        },
      ),
      { numRuns: runs },
    );
  });
});
