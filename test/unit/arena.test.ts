import fc from 'fast-check';
import { expect, it } from 'vitest';
import { SeriesArena } from '../../src/windows/arena.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);
const SLAB_BYTES = 8 * (1 << 17);

type Block = { readonly handle: number; readonly length: number; readonly id: number };
const block = (arena: SeriesArena, length: number, id: number): Block => ({
  handle: arena.alloc(length),
  length,
  id,
});
/** Every number of the block is `value`, read where the arena says the block is now. */
const holds = (arena: SeriesArena, b: Block, value: number): boolean => {
  const base = arena.baseOf[b.handle] as number;
  return (
    arena.lengthOf[b.handle] === b.length &&
    arena
      .data(b.handle)
      .subarray(base, base + b.length)
      .every((x) => x === value)
  );
};
const fill = (arena: SeriesArena, b: Block, value: number): void => {
  const base = arena.baseOf[b.handle] as number;
  arena.data(b.handle).fill(value, base, base + b.length);
};

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
            if (victim !== undefined) arena.release(victim.handle);
          } else {
            const b = block(arena, length, id);
            // A fresh block is zeroed, whatever it held before.
            expect(holds(arena, b, 0)).toBe(true);
            fill(arena, b, id + 1);
            live.push(b);
          }
          for (const b of live) expect(holds(arena, b, b.id + 1)).toBe(true);
          expect(new Set(live.map((b) => b.handle)).size).toBe(live.length);
          expect(arena.used).toBe(live.reduce((s, b) => s + b.length, 0));
        });
      },
    ),
    { numRuns: Math.ceil(runs / 4) },
  );
});

it('compacts once less than a quarter is in use: memory follows what is live', () => {
  const arena = new SeriesArena();
  const blocks = Array.from({ length: 1000 }, (_, i) => block(arena, 1000, i));
  for (const b of blocks) fill(arena, b, b.id);
  for (const b of blocks.slice(10)) arena.release(b.handle);
  // Two slabs at most, and the handle table (12 bytes a handle) with its free list.
  expect(arena.bytes).toBeLessThanOrEqual(2 * SLAB_BYTES + 20 * 1024);
  expect(arena.used).toBe(10_000);
  for (const b of blocks.slice(0, 10)) expect(holds(arena, b, b.id)).toBe(true);
});

it('a block replaced in place keeps its handle and comes back zeroed', () => {
  const arena = new SeriesArena();
  const a = block(arena, 10, 1);
  const b = block(arena, 10, 2);
  fill(arena, a, 7);
  fill(arena, b, 8);
  arena.replace(a.handle, 20);
  const grown = { ...a, length: 20 };
  expect(holds(arena, grown, 0)).toBe(true);
  expect(holds(arena, b, 8)).toBe(true);
  expect(arena.used).toBe(30);
});

it('the handle table shrinks when the handles at its end are all free', () => {
  const arena = new SeriesArena();
  const blocks = Array.from({ length: 10_000 }, (_, i) => block(arena, 100, i));
  const full = arena.bytes;
  for (const b of blocks.slice(5).reverse()) arena.release(b.handle);
  expect(arena.bytes).toBeLessThan(full / 4);
  // Released oldest first (as a sweep does), then the last: the free list goes with the table.
  const again = Array.from({ length: 10_000 }, (_, i) => block(arena, 100, i));
  const top = again.at(-1) as Block;
  for (const b of again.slice(0, -1)) arena.release(b.handle);
  arena.release(top.handle);
  // What is left: one slab kept for the next blocks, and a table for the 5 live handles.
  expect(arena.bytes).toBeLessThanOrEqual(SLAB_BYTES + 2_000);
  for (const b of blocks.slice(0, 5)) expect(holds(arena, b, 0)).toBe(true);
  // Reused lowest first: a new block takes handle 5, the first free one.
  expect(arena.alloc(100)).toBe(5);
});
