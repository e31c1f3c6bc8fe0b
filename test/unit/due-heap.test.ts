import fc from 'fast-check';
import { expect, it } from 'vitest';
import { DueHeap } from '../../src/sinks/delivery/due-heap.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);

it('pops in (due, arrival) order, interleaved with pushes, as a sorted list would', () => {
  fc.assert(
    fc.property(
      fc.array(fc.option(fc.integer({ min: 0, max: 20 }), { freq: 3 }), { maxLength: 300 }),
      (ops) => {
        const heap = new DueHeap<{ due: number; seq: number }>();
        let model: { due: number; seq: number }[] = [];
        ops.forEach((due, seq) => {
          if (due === null) {
            model.sort((a, b) => a.due - b.due || a.seq - b.seq);
            expect(heap.pop()).toEqual(model.shift());
          } else {
            heap.push({ due, seq });
            model.push({ due, seq });
          }
          expect(heap.size).toBe(model.length);
          expect(heap.peek()?.due).toBe(
            model.length === 0 ? undefined : Math.min(...model.map((m) => m.due)),
          );
        });
        model = model.sort((a, b) => a.due - b.due || a.seq - b.seq);
        for (const m of model) expect(heap.pop()).toEqual(m);
        expect(heap.pop()).toBeUndefined();
      },
    ),
    { numRuns: runs },
  );
});
