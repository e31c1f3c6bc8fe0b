import { TrailingExtreme } from '../src/windows/trailing-extreme.js';
import { TrailingSum } from '../src/windows/trailing-sum.js';
import { ValueRing } from '../src/windows/value-ring.js';
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
        const ring = new ValueRing(W + 1);
        const sum = new TrailingSum({ kind: 'sum', size: W, lag: 0 }, 0);
        const min = new TrailingExtreme({ kind: 'min', size: W, lag: 0 }, 0);
        const max = new TrailingExtreme({ kind: 'max', size: W, lag: 0 }, 0);
        for (let i = 0; i < N; i++) {
          ring.push(input[i] as number);
          sum.push(ring);
          min.push(ring);
          max.push(ring);
        }
        sink += sum.sum + ring.at(min.index) + ring.at(max.index);
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
