import fc from 'fast-check';
import { expect, it } from 'vitest';
import { type ArenaBlock, SeriesArena } from '../../src/windows/arena.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);
const SLAB_BYTES = 8 * (1 << 17);

type Block = ArenaBlock & { readonly id: number };
const block = (length: number, id: number): Block => ({
  data: new Float64Array(0),
  base: -1,
  length,
  arenaIndex: -1,
  id,
});
const holds = (b: Block, value: number): boolean =>
  b.data.subarray(b.base, b.base + b.length).every((x) => x === value);

it('blocks keep their numbers through reuse, new slabs and compaction; usage is the sum of live blocks', () => {
  fc.assert(
    fc.property(
      // Mostly small blocks, now and then one longer than a slab, and releases (0) in between.
      fc.array(
        fc.oneof(
          { weight: 6, arbitrary: fc.integer({ min: 1, max: 40_000 }) },
          { weight: 1, arbitrary: fc.integer({ min: 130_000, max: 140_000 }) },
          { weight: 5, arbitrary: fc.constant(0) },
        ),
        { maxLength: 120 },
      ),
      (ops) => {
        const arena = new SeriesArena();
        const live: Block[] = [];
        ops.forEach((length, id) => {
          if (length === 0) {
            const victim = live.splice(id % Math.max(1, live.length), 1)[0];
            if (victim !== undefined) arena.release(victim);
          } else {
            const b = block(length, id);
            arena.alloc(b);
            // A fresh block is zeroed, whatever it held before.
            expect(holds(b, 0)).toBe(true);
            b.data.fill(id + 1, b.base, b.base + length);
            live.push(b);
          }
          for (const b of live) expect(holds(b, b.id + 1)).toBe(true);
          expect(arena.used).toBe(live.reduce((s, b) => s + b.length, 0));
        });
      },
    ),
    { numRuns: Math.ceil(runs / 4) },
  );
});

it('compacts once less than a quarter is in use: memory follows what is live', () => {
  const arena = new SeriesArena();
  const blocks = Array.from({ length: 1000 }, (_, i) => block(1000, i));
  for (const b of blocks) {
    arena.alloc(b);
    b.data.fill(b.id, b.base, b.base + b.length);
  }
  expect(arena.bytes).toBe(8 * SLAB_BYTES);
  for (const b of blocks.slice(10)) arena.release(b);
  expect(arena.bytes).toBeLessThanOrEqual(2 * SLAB_BYTES);
  expect(arena.used).toBe(10_000);
  for (const b of blocks.slice(0, 10)) expect(holds(b, b.id)).toBe(true);
});
