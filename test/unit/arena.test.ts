import fc from 'fast-check';
import { expect, it } from 'vitest';
import { type ArenaBlock, SeriesArena } from '../../src/windows/arena.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);

it('blocks keep their numbers through reuse, growth and compaction; usage is the sum of live blocks', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.integer({ min: 1, max: 600 }), fc.constant(0)), { maxLength: 400 }),
      (ops) => {
        const arena = new SeriesArena();
        const live: (ArenaBlock & { id: number })[] = [];
        ops.forEach((length, id) => {
          if (length === 0 || live.length > 40) {
            const victim = live.splice(id % Math.max(1, live.length), 1)[0];
            if (victim !== undefined) arena.release(victim);
          } else {
            const block = { base: -1, length, arenaIndex: -1, id };
            arena.alloc(block);
            // A fresh block is zeroed, whatever it held before.
            expect(arena.data.subarray(block.base, block.base + length).every((x) => x === 0)).toBe(true);
            arena.data.fill(id + 1, block.base, block.base + length);
            live.push(block);
          }
          for (const b of live) {
            expect(arena.data.subarray(b.base, b.base + b.length).every((x) => x === b.id + 1)).toBe(true);
          }
          expect(arena.used).toBe(live.reduce((s, b) => s + b.length, 0));
        });
        // Compaction keeps the array within four times what is live (or its minimum).
        expect(arena.bytes).toBeLessThanOrEqual(Math.max(8 * 1024, 4 * 8 * arena.used) * 2);
      },
    ),
    { numRuns: runs },
  );
});

it('shrinks once most blocks are gone', () => {
  const arena = new SeriesArena();
  const blocks = Array.from({ length: 1000 }, () => ({ base: 0, length: 100, arenaIndex: 0 }));
  for (const b of blocks) arena.alloc(b);
  const full = arena.bytes;
  for (const b of blocks.slice(10)) arena.release(b);
  expect(arena.bytes).toBeLessThan(full / 16);
  expect(arena.used).toBe(1000);
});
