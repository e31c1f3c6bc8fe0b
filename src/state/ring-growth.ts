/**
 * The next length of a power-of-two array of `length` that must hold `need`: doubled while small, then ×16, to at
 * most `ceiling` (never below `need`). The arrays are off-heap (windows/off-heap.ts), and a buffer given up is freed
 * only when the collector happens to mark its owner, which nothing tells it to hurry: growing in few steps leaves
 * little behind (doubling to 10⁶ seen ids leaves about as much behind as it keeps, some 70 MB).
 */
export function larger(length: number, need: number, ceiling: number): number {
  let next = length;
  while (next < need) next *= next < 1 << 16 ? 2 : 16;
  return Math.max(Math.min(next, ceiling), nextPowerOfTwo(need));
}

/** The least power of two ≥ n (1 for n ≤ 1). */
export const nextPowerOfTwo = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, n)));
