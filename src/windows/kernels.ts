import { MAX, MIN, MOMENTS, SUM } from './layout.js';

// The per-value window updates, on a series block laid out by SeriesLayout: `off` is where the aggregate's
// state starts in `buf`, `ring` where the ring starts. Absolute index i lives in ring slot i mod capacity;
// slots are found from the newest one by subtraction and one conditional wrap, never by division. Each update
// is O(1) amortised: sums and moments are recomputed from the ring every `size` values (so float error never
// outlives a window), and each index enters and leaves a min/max deque once.

/**
 * Update an aggregate (`code`, `size`, `lag`, its state at `off`) after the value at absolute index `newest`
 * was written to ring slot `newestSlot`.
 */
export function pushAggregate(
  buf: Float64Array,
  code: number,
  size: number,
  lag: number,
  off: number,
  ring: number,
  newest: number,
  newestSlot: number,
  capacity: number,
): void {
  const entering = newest - lag;
  const start = buf[off] as number;
  if (entering < start) return;
  let slot = newestSlot - lag;
  if (slot < 0) slot += capacity;
  switch (code) {
    case SUM:
      pushSum(buf, off, ring, size, start, entering, slot, capacity);
      return;
    case MOMENTS:
      pushMoments(buf, off, ring, size, start, entering, slot, capacity);
      return;
    case MIN:
      pushExtreme(buf, off, ring, size, entering, slot, capacity, false);
      return;
    case MAX:
      pushExtreme(buf, off, ring, size, entering, slot, capacity, true);
      return;
  }
}

/** The slot `back` values before `slot`. */
function behind(slot: number, back: number, capacity: number): number {
  const s = slot - back;
  return s < 0 ? s + capacity : s;
}

function pushSum(
  buf: Float64Array,
  off: number,
  ring: number,
  size: number,
  start: number,
  entering: number,
  slot: number,
  capacity: number,
): void {
  const since = (buf[off + 1] as number) + 1;
  if (since >= size) {
    buf[off + 1] = 0;
    const from = Math.max(start, entering - size + 1);
    let s = behind(slot, entering - from, capacity);
    let sum = 0;
    for (let i = from; i <= entering; i++) {
      sum += buf[ring + s] as number;
      if (++s === capacity) s = 0;
    }
    buf[off + 2] = sum;
    return;
  }
  buf[off + 1] = since;
  let sum = (buf[off + 2] as number) + (buf[ring + slot] as number);
  if (entering - size >= start) sum -= buf[ring + behind(slot, size, capacity)] as number;
  buf[off + 2] = sum;
}

function pushMoments(
  buf: Float64Array,
  off: number,
  ring: number,
  size: number,
  start: number,
  entering: number,
  slot: number,
  capacity: number,
): void {
  const since = (buf[off + 1] as number) + 1;
  if (since >= size) {
    buf[off + 1] = 0;
    const k = buf[ring + slot] as number;
    const from = Math.max(start, entering - size + 1);
    let s = behind(slot, entering - from, capacity);
    let sum = 0;
    let squares = 0;
    for (let i = from; i <= entering; i++) {
      const d = (buf[ring + s] as number) - k;
      sum += d;
      squares += d * d;
      if (++s === capacity) s = 0;
    }
    buf[off + 2] = k;
    buf[off + 3] = sum;
    buf[off + 4] = squares;
    return;
  }
  buf[off + 1] = since;
  const shift = buf[off + 2] as number;
  const d = (buf[ring + slot] as number) - shift;
  let sum = (buf[off + 3] as number) + d;
  let squares = (buf[off + 4] as number) + d * d;
  if (entering - size >= start) {
    const e = (buf[ring + behind(slot, size, capacity)] as number) - shift;
    sum -= e;
    squares -= e * e;
  }
  buf[off + 3] = sum;
  buf[off + 4] = squares;
}

/** A monotonic deque of absolute indices in `size` slots: its front is the window's extreme, oldest among equals. */
function pushExtreme(
  buf: Float64Array,
  off: number,
  ring: number,
  size: number,
  entering: number,
  slot: number,
  capacity: number,
  max: boolean,
): void {
  const deque = off + 3;
  let head = buf[off + 1] as number;
  let length = buf[off + 2] as number;
  while (length > 0 && (buf[deque + head] as number) <= entering - size) {
    if (++head === size) head = 0;
    length -= 1;
  }
  const value = buf[ring + slot] as number;
  while (length > 0) {
    let last = head + length - 1;
    if (last >= size) last -= size;
    const back = buf[ring + behind(slot, entering - (buf[deque + last] as number), capacity)] as number;
    if (max ? back < value : back > value) length -= 1;
    else break;
  }
  let tail = head + length;
  if (tail >= size) tail -= size;
  buf[deque + tail] = entering;
  buf[off + 1] = head;
  buf[off + 2] = length + 1;
}
