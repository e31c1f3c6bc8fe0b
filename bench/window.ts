import type { AggregateSpec } from '../src/windows/aggregate.js';
import { SeriesArena } from '../src/windows/arena.js';
import { SeriesLayout } from '../src/windows/layout.js';
import { MetricSeries } from '../src/windows/metric-series.js';
import { measure, type Row } from './measure.js';

const N = 1_000_000;
const W = 50;

function values(): Float64Array {
  const out = new Float64Array(N);
  let x = 12345;
  for (let i = 0; i < N; i++) {
    x = (x * 1103515245 + 12345) % 2147483648; // seeded LCG: deterministic input
    out[i] = x / 2147483648;
  }
  return out;
}

/** The window update alone: ring + sum + min + max over 50 values, against a bare loop and naive slice-and-reduce. */
export function windowScenario(): Row[] {
  const input = values();
  let sink = 0;
  const rows = measure('window', [
    {
      name: 'ml-automations (ring + sum + min/max deques)',
      ops: N,
      run() {
        const reader = (kind: AggregateSpec['kind']) => ({
          filter: { needs: [{ kind, size: W, lag: 0 }], history: W },
        });
        const layout = new SeriesLayout([reader('sum'), reader('min'), reader('max')]);
        const [sum, min, max] = layout.aggregates;
        const series = new MetricSeries(new SeriesArena(), layout);
        for (let i = 0; i < N; i++) series.push(input[i] as number);
        if (sum === undefined || min === undefined || max === undefined) throw new Error('layout');
        sink += series.sum(sum.offset) + series.extreme(min.offset) + series.extreme(max.offset);
      },
    },
    {
      name: 'bare loop (ring write + running sum only)',
      ops: N,
      run() {
        const ring = new Float64Array(W);
        let s = 0;
        for (let i = 0; i < N; i++) {
          const slot = i % W;
          s += (input[i] as number) - (ring[slot] as number);
          ring[slot] = input[i] as number;
        }
        sink += s;
      },
    },
    {
      name: 'naive slice + reduce (sum, min, max)',
      ops: N / 10,
      run() {
        const arr = Array.from(input.subarray(0, N / 10));
        for (let i = W; i < N / 10; i++) {
          const w = arr.slice(i - W, i);
          sink += w.reduce((a, b) => a + b, 0) + Math.min(...w) + Math.max(...w);
        }
      },
    },
  ]);
  if (sink === 42) console.log(''); // keep the work observable
  return rows;
}
