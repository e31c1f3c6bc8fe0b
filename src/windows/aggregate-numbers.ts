import { type AggregateSlot, MAX, MIN, MOMENTS, SUM } from './layout.js';

// An aggregate's state block as plain numbers, for snapshots, and back: the layout of each kind's block is here.

/** The numbers of the aggregate block at `off`: running sums, the moments, or a min/max deque's indices. */
export function saveNumbers(buf: Float64Array, off: number, a: AggregateSlot): number[] {
  switch (a.code) {
    case SUM:
      return [buf[off + 2] as number, buf[off + 1] as number];
    case MOMENTS:
      return [buf[off + 2] as number, buf[off + 3] as number, buf[off + 4] as number, buf[off + 1] as number];
    default: {
      const head = buf[off + 1] as number;
      const out: number[] = [];
      for (let i = 0; i < (buf[off + 2] as number); i++)
        out.push(buf[off + 3 + ((head + i) % a.size)] as number);
      return out;
    }
  }
}

/** Write saved numbers back into the aggregate block at `off` (missing ones read as 0). */
export function loadNumbers(
  buf: Float64Array,
  off: number,
  a: AggregateSlot,
  numbers: readonly number[],
): void {
  const at = (i: number): number => numbers[i] ?? 0;
  switch (a.code) {
    case SUM:
      buf[off + 2] = at(0);
      buf[off + 1] = at(1);
      return;
    case MOMENTS:
      buf[off + 2] = at(0);
      buf[off + 3] = at(1);
      buf[off + 4] = at(2);
      buf[off + 1] = at(3);
      return;
    case MIN:
    case MAX: {
      const indices = numbers.slice(0, a.size);
      buf[off + 1] = 0;
      buf[off + 2] = indices.length;
      indices.forEach((index, i) => {
        buf[off + 3 + i] = index;
      });
    }
  }
}
