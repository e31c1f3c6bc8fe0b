import fc from 'fast-check';
import { expect, it } from 'vitest';
import { SeenIds } from '../../../src/state/seen-ids.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);

it('keeps at most maxCount ids and forgets the oldest first; ids older than maxAge go too', () => {
  const seen = new SeenIds(3, 1000);
  for (const [i, id] of ['a', 'b', 'c', 'd', 'e'].entries()) seen.add('s', id, i);
  expect(['a', 'b', 'c', 'd', 'e'].map((id) => seen.has('s', id))).toEqual([false, false, true, true, true]);
  seen.add('s', 'f', 2000);
  expect(seen.size).toBe(1); // c, d, e are more than 1000 ms older than f
  expect(seen.has('s', 'f')).toBe(true);
});

it('evicts in O(1) per add: a million adds past the cap finish (the Map is never walked from its start)', () => {
  const seen = new SeenIds(1000, Number.POSITIVE_INFINITY);
  for (let i = 0; i < 1_000_000; i++) seen.add('s', String(i), i);
  expect(seen.size).toBe(1000);
  expect(seen.has('s', '999999')).toBe(true);
  expect(seen.has('s', '998999')).toBe(false);
  const restored = new SeenIds(1000, Number.POSITIVE_INFINITY);
  restored.load(seen.save());
  restored.add('s', 'next', 0);
  expect(restored.size).toBe(1000);
  expect(restored.has('s', '999000')).toBe(false);
});

it('forgets a source once all its ids have gone, so one-off sources do not pile up', () => {
  const seen = new SeenIds(2, Number.POSITIVE_INFINITY);
  for (let i = 0; i < 10_000; i++) seen.add(`/source-${i}`, 'id', i);
  expect(seen.size).toBe(2);
  expect(seen.has('/source-9999', 'id')).toBe(true);
  expect(seen.has('/source-9997', 'id')).toBe(false);
  expect(seen.save()).toEqual([
    ['/source-9998\u0000id', 9998],
    ['/source-9999\u0000id', 9999],
  ]);
});

it('knows a source again after it was forgotten between two addNew calls of its own', () => {
  // addNew remembers the last source's number: forgetting the source must forget that too.
  const seen = new SeenIds(1, Number.POSITIVE_INFINITY);
  expect(seen.addNew('/a', '1', 0)).toBe(true);
  seen.add('/b', '2', 1); // /a's only id goes, and /a with it
  expect(seen.addNew('/a', '3', 2)).toBe(true);
  expect(seen.has('/a', '3')).toBe(true);
  expect(seen.save()).toEqual([['/a\u00003', 2]]);
});

// Sources are kept free of U+0000: the snapshot names a pair `source \0 id` and splits at the first \0.
it('answers as a plain list of (source, id, time) would, through evictions, growth, saves and loads (has + add, or addNew)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 60 }),
      fc.array(
        fc.oneof(
          fc.record({
            source: fc.constantFrom('/a', '/b', '/c'),
            id: fc.string({ maxLength: 3 }),
            dt: fc.nat(5),
            // addNew, or has then add: the same answers and the same state.
            once: fc.boolean(),
          }),
          fc.constant('save-load' as const),
        ),
        { maxLength: 400 },
      ),
      // A small starting capacity makes the ring grow in the middle of an addNew (and of a load).
      fc.constantFrom(1, 2, 8, 1024),
      (maxCount, maxAgeMs, ops, capacity) => {
        let seen = new SeenIds(maxCount, maxAgeMs, capacity);
        // The model: live entries, oldest first.
        const model: { source: string; id: string; time: number }[] = [];
        let time = 0;
        for (const op of ops) {
          if (op === 'save-load') {
            const restored = new SeenIds(maxCount, maxAgeMs, capacity);
            restored.load(seen.save());
            seen = restored;
            continue;
          }
          time += op.dt;
          const known = model.some((m) => m.source === op.source && m.id === op.id);
          if (op.once) {
            expect(seen.addNew(op.source, op.id, time)).toBe(!known);
            if (known) continue;
          } else {
            expect(seen.has(op.source, op.id)).toBe(known);
            if (known) continue;
            seen.add(op.source, op.id, time);
          }
          model.push({ source: op.source, id: op.id, time });
          while (model.length > maxCount || (model[0] !== undefined && model[0].time < time - maxAgeMs))
            model.shift();
          expect(seen.size).toBe(model.length);
        }
        for (const m of model) expect(seen.has(m.source, m.id)).toBe(true);
      },
    ),
    { numRuns: runs },
  );
});

it('keeps a million ids, each found again, and none that was not added', () => {
  const seen = new SeenIds(1_000_000, Number.POSITIVE_INFINITY);
  for (let i = 0; i < 1_000_000; i++) seen.add(i % 3 === 0 ? '/x' : '/y', `id-${i}`, i);
  let found = 0;
  for (let i = 0; i < 1_000_000; i += 997) if (seen.has(i % 3 === 0 ? '/x' : '/y', `id-${i}`)) found += 1;
  expect(found).toBe(Math.ceil(1_000_000 / 997));
  expect(seen.has('/y', 'id-0')).toBe(false); // id-0 came from /x
  expect(seen.has('/x', 'id-1000000')).toBe(false);
});

it('stays exact when the table is crowded: many evictions shifting long probe runs back', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 2100 }),
      fc.constantFrom(1, 2, 4, 1024),
      fc.array(fc.integer({ min: 0, max: 6000 }), { minLength: 3000, maxLength: 6000 }),
      (maxCount, capacity, ids) => {
        // A small starting ring makes a small table: crowded, with probe runs wrapping past its end.
        const seen = new SeenIds(maxCount, Number.POSITIVE_INFINITY, capacity);
        const live: string[] = [];
        const inModel = new Set<string>();
        ids.forEach((n, time) => {
          const id = `i${n}`;
          expect(seen.has('/s', id)).toBe(inModel.has(id));
          if (inModel.has(id)) return;
          seen.add('/s', id, time);
          live.push(id);
          inModel.add(id);
          while (live.length > maxCount) inModel.delete(live.shift() as string);
        });
        expect(seen.size).toBe(live.length);
        for (let n = 0; n <= 6000; n += 7) expect(seen.has('/s', `i${n}`)).toBe(inModel.has(`i${n}`));
      },
    ),
    { numRuns: Math.ceil(runs / 10) },
  );
});

it('keeps ids of any length and any UTF-16 units exactly, through wrap-around, growth, saves and loads', () => {
  const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 30 }),
      fc.constantFrom(1, 2, 1024),
      fc.array(fc.oneof(fc.string({ unit, maxLength: 100 }), fc.constant('save-load' as const)), {
        maxLength: 200,
      }),
      (maxCount, capacity, ops) => {
        let seen = new SeenIds(maxCount, Number.POSITIVE_INFINITY, capacity);
        const live: string[] = [];
        // Ids grow longer as they come, so the char ring grows after evictions too, when it has wrapped.
        for (const [k, generated] of ops.entries()) {
          const op = generated === 'save-load' ? generated : generated.repeat(1 + Math.floor(k / 8));
          if (op === 'save-load') {
            const saved = seen.save();
            expect(saved.map(([key]) => key)).toEqual(live.map((id) => `/s\u0000${id}`));
            seen = new SeenIds(maxCount, Number.POSITIVE_INFINITY, capacity);
            seen.load(saved);
            continue;
          }
          expect(seen.has('/s', op)).toBe(live.includes(op));
          // A near miss (one unit changed, or one more) is another id.
          if (op.length > 0)
            expect(seen.has('/s', `${op.slice(0, -1)}\u0001`)).toBe(
              live.includes(`${op.slice(0, -1)}\u0001`),
            );
          expect(seen.has('/s', `${op}x`)).toBe(live.includes(`${op}x`));
          if (live.includes(op)) continue;
          seen.add('/s', op, 0);
          live.push(op);
          if (live.length > maxCount) live.shift();
        }
        for (const id of live) expect(seen.has('/s', id)).toBe(true);
      },
    ),
    { numRuns: runs },
  );
});
