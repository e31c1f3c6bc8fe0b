import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  type Engine,
  type Issue,
  type MetricFilter,
  OnEvent,
  OnRunMetric,
  OnRunState,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { anyFilter, METRICS, RUNS } from '../arbitraries/commands.js';
import { metricValue, nextStep, rowMetrics, stateRow } from '../helpers/batch-rows.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** One element of a batch, described so that each engine gets its own fresh copy of the same event. */
type Item =
  | {
      kind: 'row';
      run: number;
      step: 'none' | 'next' | 'same' | 'back';
      timed: boolean;
      metrics: [number, unknown][];
    }
  | { kind: 'state'; run: number; state: 'running' | 'finished' | 'failed' }
  | { kind: 'duplicate'; of: number }
  | { kind: 'bad'; which: number }
  | { kind: 'foreign' };

const item: fc.Arbitrary<Item> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('row' as const),
      run: fc.nat(RUNS.length - 1),
      step: fc.constantFrom('none', 'next', 'next', 'next', 'same', 'back') as fc.Arbitrary<
        'none' | 'next' | 'same' | 'back'
      >,
      timed: fc.boolean(),
      metrics: fc.array(fc.tuple(fc.nat(METRICS.length - 1), metricValue), { maxLength: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: stateRow(RUNS.length),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), of: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bad' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('foreign' as const) }) },
);

/** Getters that must never run: a bad event is refused unread. */
let getterRan = false;
const getter = () => {
  getterRan = true;
  return 1;
};

/** Bad events of several kinds, each rejected: refused shapes, values, and accessors the fast path must not read. */
const BAD: readonly ((id: string) => unknown)[] = [
  (id) => ({ id, source: '/t', type: 'run.metrics', data: { entity: 'acme', project: 'p1', metrics: {} } }),
  (id) => ({ id, source: '/t', type: 'run.metrics', data: { ...RUNS[0], metrics: { loss: 'high' } } }),
  () => ({ id: '', source: '/t', type: 'run.metrics', data: { ...RUNS[0], metrics: { loss: 1 } } }),
  (id) => ({ id, source: '/t', type: 'run.metrics', data: { ...RUNS[1], step: -1, metrics: { loss: 1 } } }),
  (id) => {
    const metrics = Object.defineProperty({ acc: 1 }, 'loss', { get: getter, enumerable: true });
    return { id, source: '/t', type: 'run.metrics', data: { ...RUNS[2], metrics } };
  },
  (id) =>
    Object.defineProperty({ source: '/t', type: 'run.metrics', data: { ...RUNS[0], metrics: {} } }, 'id', {
      get: () => {
        getter();
        return id;
      },
      enumerable: true,
    }),
  () => 'not an event',
  () => null,
];

/** Turn the descriptions into events: fresh objects on every call, the same events every time. */
function build(items: readonly Item[]): unknown[] {
  const steps = new Map<number, number>();
  const built: unknown[] = [];
  for (const [i, it] of items.entries()) {
    const id = `e${i}`;
    switch (it.kind) {
      case 'row': {
        const step = nextStep(steps, it.run, it.step);
        const metrics = rowMetrics(it.metrics);
        const data = { ...RUNS[it.run], ...(step !== undefined && { step }), metrics };
        const time = it.timed ? { time: T0 - 1000 * (items.length - i) } : {};
        built.push({ specversion: '1.0', id, source: '/t', type: 'run.metrics', ...time, data });
        break;
      }
      case 'state': {
        const data = { ...RUNS[it.run], state: it.state };
        built.push({ id, source: '/t', type: 'run.state', time: T0 - 1000 * (items.length - i), data });
        break;
      }
      case 'duplicate': {
        // An earlier event again (the same object: a copy would read its getters), or a first one.
        built.push(i === 0 ? { id: 'e0', source: '/t', type: 'other' } : built[it.of % i]);
        break;
      }
      case 'bad':
        built.push((BAD[it.which % BAD.length] as (id: string) => unknown)(id));
        break;
      case 'foreign':
        built.push({ id, source: '/elsewhere', type: 'com.example.thing', data: { entity: 'acme' } });
    }
  }
  return built;
}

function engineWith(filters: readonly MetricFilter[]): { engine: Engine; issues: Issue[] } {
  const engine = createEngine({ clock: new VirtualClock(T0) });
  for (const [i, filter] of filters.entries()) {
    const scope = i % 2 === 0 ? 'acme' : 'acme/p1';
    engine.save(OnRunMetric({ scope, filter }).do(DoNothing()), {
      name: `m${i}`,
      id: `m${i}`,
      cooldownMs: 0,
    });
  }
  engine.save(OnRunState({ scope: 'acme', states: ['finished', 'failed'] }).do(DoNothing()), {
    name: 'state',
    id: 'state',
  });
  engine.save(
    OnEvent({ scope: 'acme', includedEventTypes: ['run.state', 'com.example.thing'] }).do(DoNothing()),
    {
      name: 'grid',
      id: 'grid',
    },
  );
  const issues: Issue[] = [];
  engine.errors$.subscribe((i) => issues.push(i));
  return { engine, issues };
}

/** Equal as JSON, NaN and ±Infinity kept apart from null (firings carry non-finite values and evidence). */
const json = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? `#${x}` : x));

const filters = fc.array(anyFilter, { minLength: 1, maxLength: 4 });
const batch = fc.array(item, { maxLength: 40 });

it('ingestBatch over a batch fires, reports and counts exactly what ingesting its events one by one does', () => {
  const seen = { firings: 0, stale: 0, duplicates: 0, rejected: 0 };
  fc.assert(
    fc.property(filters, batch, (fs, items) => {
      getterRan = false;
      const one = engineWith(fs);
      const all = engineWith(fs);
      const fired = [];
      for (const event of build(items)) fired.push(...one.engine.ingest(event));
      const together = all.engine.ingestBatch(build(items));
      expect(json(together)).toBe(json(fired));
      expect(json(all.issues)).toBe(json(one.issues));
      const stats = all.engine.stats();
      expect(stats).toEqual(one.engine.stats());
      expect(getterRan).toBe(false);
      seen.firings += together.length;
      seen.stale += all.issues.filter((i) => i.code === 'out_of_order').length;
      seen.duplicates += stats.duplicates;
      seen.rejected += stats.rejected;
    }),
    { numRuns: runs },
  );
  // Not vacuous: batches fired, and held stale steps, duplicates and bad events.
  for (const n of Object.values(seen)) expect(n).toBeGreaterThan(0);
});

it('applyBatch gives, event by event, the results that apply gives one at a time', () => {
  fc.assert(
    fc.property(filters, batch, (fs, items) => {
      getterRan = false;
      const one = engineWith(fs);
      const all = engineWith(fs);
      const results = build(items).map((event) => one.engine.apply(event));
      const together = all.engine.applyBatch(build(items));
      expect(together.length).toBe(items.length);
      expect(json(together)).toBe(json(results));
      expect(json(all.issues)).toBe(json(one.issues));
      expect(getterRan).toBe(false);
    }),
    { numRuns: runs },
  );
});
