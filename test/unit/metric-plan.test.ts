import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { WindowReader } from '../../src/windows/layout.js';
import { MetricPlan, type MetricShape, UNWATCHED } from '../../src/windows/metric-plan.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);
const reader: WindowReader = { filter: { needs: [], history: 1 } };

/** An index that watches the names in `watched`; its version changes with every change of the set. */
class Index {
  version = 0;
  readonly watched = new Set<string>();
  watchers(_entity: string, _project: string, metric: string): readonly WindowReader[] {
    return this.watched.has(metric) ? [reader] : [];
  }
  toggle(name: string): void {
    if (!this.watched.delete(name)) this.watched.add(name);
    this.version += 1;
  }
}

/** The numbering as specified: a name gets the next number the first time a row lists it while it is watched. */
class Model {
  readonly #numbers = new Map<string, number>();
  slots(names: readonly string[], watched: ReadonlySet<string>): number[] {
    return names.map((name) => {
      const known = this.#numbers.get(name);
      if (known !== undefined) return known;
      if (!watched.has(name)) return UNWATCHED;
      this.#numbers.set(name, this.#numbers.size);
      return this.#numbers.size - 1;
    });
  }
}

const NAMES = ['loss', 'acc', 'lr', 'gpu.0.temp', 'gpu.1.temp', 'gpu.2.temp', 'val/loss', 'epoch'];

it('a shape gives the slots a lookup of each name would, across runs with lists of their own and changes of the index', () => {
  const row = fc.record({
    run: fc.nat(5),
    // Runs log a few lists, again and again.
    list: fc.nat(3),
    toggle: fc.option(fc.constantFrom(...NAMES), { freq: 4 }),
  });
  const lists = fc.array(fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: NAMES.length }), {
    minLength: 4,
    maxLength: 4,
  });
  fc.assert(
    fc.property(fc.array(row, { maxLength: 80 }), lists, fc.subarray(NAMES), (rows, pool, initially) => {
      const index = new Index();
      for (const name of initially) index.watched.add(name);
      const plan = new MetricPlan<WindowReader>();
      const model = new Model();
      const shapes = new Map<number, MetricShape>();
      for (const r of rows) {
        if (r.toggle !== null) index.toggle(r.toggle);
        plan.refresh(index, 'e', 'p');
        const names = pool[r.list] as string[];
        // A fresh array each row, as each row's names are: shapes are found by content, not by the array.
        const shape = plan.shapeOf([...names], shapes.get(r.run), index, 'e', 'p');
        shapes.set(r.run, shape);
        expect([...shape.slots]).toEqual(model.slots(names, index.watched));
        expect(shape.names).toEqual(names);
      }
    }),
    { numRuns: runs },
  );
});

it('a run that lists the same names again gets its shape back, and two runs with one list share one shape', () => {
  const index = new Index();
  index.watched.add('loss');
  const plan = new MetricPlan<WindowReader>();
  plan.refresh(index, 'e', 'p');
  const a = plan.shapeOf(['loss', 'lr'], undefined, index, 'e', 'p');
  const b = plan.shapeOf(['loss', 'gpu.0.temp', 'lr'], undefined, index, 'e', 'p');
  expect(plan.shapeOf(['loss', 'lr'], a, index, 'e', 'p')).toBe(a);
  expect(plan.shapeOf(['loss', 'lr'], b, index, 'e', 'p')).toBe(a);
  expect([...b.slots]).toEqual([0, UNWATCHED, UNWATCHED]);
  // A name watched from now on: the shapes made before are not used again.
  index.toggle('lr');
  plan.refresh(index, 'e', 'p');
  const c = plan.shapeOf(['loss', 'lr'], a, index, 'e', 'p');
  expect(c).not.toBe(a);
  expect([...c.slots]).toEqual([0, 1]);
});

it('beyond the lists a plan remembers, every list still gets its own slots', () => {
  const index = new Index();
  const names = Array.from({ length: 100 }, (_, i) => `m${i}`);
  for (const n of names) index.watched.add(n);
  const plan = new MetricPlan<WindowReader>();
  plan.refresh(index, 'e', 'p');
  // 100 lists of two names, each seen twice, far apart: the first sight numbers them in order.
  for (let round = 0; round < 2; round++)
    for (let i = 0; i < 99; i++) {
      const shape = plan.shapeOf([names[i] as string, names[i + 1] as string], undefined, index, 'e', 'p');
      expect([...shape.slots]).toEqual([i, i + 1]);
    }
});
