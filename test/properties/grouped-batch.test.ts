import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  type Engine,
  type IngestResult,
  type MetricFilter,
  OnRunMetric,
  OnRunState,
  type Retention,
  type RunFilter,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { anyFilter, HOUR, METRICS, RUNS } from '../arbitraries/commands.js';
import { metricValue, nextStep, rowMetrics, stateRow } from '../helpers/batch-rows.js';

// A large array given to ingestBatch is applied grouped by run (a run's rows together, each run's in order),
// and what it reports, holds back and fires is handed on in event order once the segment is applied. This
// property holds it to ingesting the same events one at a time: the same firings, issues and held-back matches
// in the same order, the same counts and the same state after.

const runs = Math.max(10, Math.floor(Number(process.env['FC_RUNS'] ?? 200) / 20));
const T0 = Date.parse('2026-01-01T00:00:00Z');
/** Items generated; the batch is them `COPIES` times over (fresh ids, later times, steps going on): above the
 * engine's threshold for grouping (16,384 events) at a generation cost fast-check can bear. */
const LENGTH = { minLength: 1030, maxLength: 1200 };
const COPIES = 16;

type Item =
  | {
      kind: 'row';
      run: number;
      step: 'none' | 'next' | 'same' | 'back';
      timed: boolean;
      rename: number;
      metrics: [number, unknown][];
    }
  | { kind: 'state'; run: number; state: 'running' | 'finished' | 'failed' }
  | { kind: 'update'; run: number; runName: string; user: string }
  | { kind: 'duplicate'; of: number }
  | { kind: 'bad'; which: number }
  | { kind: 'accessor' };

const NAMES = ['sweep-1', 'run-2', 'sweep-9', 'eval-3'];

const item: fc.Arbitrary<Item> = fc.oneof(
  {
    weight: 40,
    arbitrary: fc.record({
      kind: fc.constant('row' as const),
      run: fc.nat(RUNS.length - 1),
      step: fc.constantFrom('none', 'next', 'next', 'next', 'next', 'same', 'back') as fc.Arbitrary<
        'none' | 'next' | 'same' | 'back'
      >,
      timed: fc.oneof(
        { weight: 9, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      // Mostly 0 (the row names no one): otherwise the row renames its run, or gives its user.
      rename: fc.oneof({ weight: 30, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(5) }),
      metrics: fc.array(fc.tuple(fc.nat(METRICS.length - 1), metricValue), { maxLength: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: stateRow(RUNS.length),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      run: fc.nat(RUNS.length - 1),
      runName: fc.constantFrom(...NAMES),
      user: fc.constantFrom('ana', 'bob'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), of: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bad' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('accessor' as const) }) },
);

let getterRan = false;
const getter = (): number => {
  getterRan = true;
  return 1;
};

const BAD: readonly ((id: string) => unknown)[] = [
  (id) => ({ id, source: '/t', type: 'run.metrics', data: { entity: 'acme', project: 'p1', metrics: {} } }),
  (id) => ({ id, source: '/t', type: 'run.metrics', data: { ...RUNS[0], metrics: { loss: 'high' } } }),
  (id) => {
    const metrics = Object.defineProperty({ acc: 1 }, 'loss', { get: getter, enumerable: true });
    return { id, source: '/t', type: 'run.metrics', data: { ...RUNS[2], metrics } };
  },
  () => null,
];

/** Fresh events on every call, the same every time; the time of row i is T0 + i seconds (some rows untimed). */
function build(items: readonly Item[]): unknown[] {
  const steps = new Map<number, number>();
  const built: unknown[] = [];
  for (let i = 0; i < COPIES * items.length; i++) {
    const it = items[i % items.length] as Item;
    const id = `e${i}`;
    const time = T0 + 1000 * i;
    switch (it.kind) {
      case 'row': {
        const step = nextStep(steps, it.run, it.step);
        const metrics = rowMetrics(it.metrics);
        const rename =
          it.rename === 0
            ? {}
            : it.rename % 2 === 0
              ? { runName: NAMES[it.rename % NAMES.length] as string }
              : { user: it.rename % 3 === 0 ? 'ana' : 'bob' };
        const data = { ...RUNS[it.run], ...rename, ...(step !== undefined && { step }), metrics };
        built.push({ id, source: '/t', type: 'run.metrics', ...(it.timed && { time }), data });
        break;
      }
      case 'state':
        built.push({ id, source: '/t', type: 'run.state', time, data: { ...RUNS[it.run], state: it.state } });
        break;
      case 'update': {
        const data = { ...RUNS[it.run], runName: it.runName, user: it.user };
        built.push({ id, source: '/t', type: 'run.updated', time, data });
        break;
      }
      case 'duplicate': {
        // An earlier event again (the same object), unless that one is an accessor element (not read here either).
        const of = it.of % Math.max(i, 1);
        const again = i > 0 && Object.getOwnPropertyDescriptor(built, of)?.get === undefined;
        built.push(again ? built[of] : { id: 'e0', source: '/t', type: 'other' });
        break;
      }
      case 'bad':
        built.push((BAD[it.which % BAD.length] as (id: string) => unknown)(id));
        break;
      case 'accessor':
        built.push(undefined);
        // An element that is a getter: refused unread, in its place.
        Object.defineProperty(built, i, { get: getter, enumerable: true, configurable: true });
    }
  }
  return built;
}

/** A batch of one element that is a getter. */
function accessorBatch(): unknown[] {
  return Object.defineProperty([], 0, { get: getter, enumerable: true, configurable: true });
}

type Spec = { filter: MetricFilter; runFilter: RunFilter | undefined; cooldown: number };

const RUN_FILTERS: readonly (RunFilter | undefined)[] = [
  undefined,
  undefined,
  { user: 'ana' },
  { runName: '^sweep-' },
  { user: 'ana', runName: 'sweep' },
];

const spec: fc.Arbitrary<Spec> = fc.record({
  filter: anyFilter,
  runFilter: fc.constantFrom(...RUN_FILTERS),
  cooldown: fc.constantFrom(0, HOUR, 24 * HOUR),
});

/**
 * How often runs are swept, and which go: the default, or sweeps every few events (events are a second apart)
 * that release runs idle for seconds, or ended ones at once. A sweep in a grouped batch applies the staged rows
 * first only when it may release one of their runs: it must see the same runs as one at a time, either way.
 */
const RETENTIONS: readonly (Retention | undefined)[] = [
  undefined,
  { runIdleMs: 3_000, terminalRunMs: 0, sweepEvery: 3 },
  { runIdleMs: 20_000, terminalRunMs: 5_000, sweepEvery: 16 },
  { runIdleMs: 600_000, terminalRunMs: 0, sweepEvery: 1 },
];

/** An engine whose listeners write one log: what ingestBatch must hand on in event order. */
function engineWith(
  specs: readonly Spec[],
  retention: Retention | undefined,
): { engine: Engine; log: string[] } {
  const engine = createEngine({
    clock: new VirtualClock(T0 + 3600_000 * 24),
    ...(retention !== undefined && { retention }),
  });
  for (const [i, s] of specs.entries()) {
    const scope = i % 2 === 0 ? 'acme' : 'acme/p1';
    const trigger = OnRunMetric({
      scope,
      filter: s.filter,
      ...(s.runFilter !== undefined && { runFilter: s.runFilter }),
    });
    engine.save(trigger.do(DoNothing()), { name: `m${i}`, id: `m${i}`, cooldownMs: s.cooldown });
  }
  engine.save(OnRunState({ scope: 'acme', states: ['finished', 'failed'] }).do(DoNothing()), {
    name: 'state',
    id: 'state',
  });
  const log: string[] = [];
  engine.on('fired', (f) => log.push(`fired ${json(f)}`));
  engine.on('error', (i) => log.push(`issue ${json(i)}`));
  engine.on('suppressed', (s) => log.push(`held ${s.automationId} ${s.runId} ${s.time} ${json(s.evidence)}`));
  return { engine, log };
}

/**
 * The partitions' saved state, per-automation counts by id: the engine keeps them in the order automations
 * first matched, which a grouped batch may change across runs (their counts stay the same).
 */
const state = (engine: Engine): string =>
  json(
    engine.snapshot().partitions.map((p) => ({
      ...p,
      perAutomation: [...p.perAutomation].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    })),
  );

const json = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? `#${x}` : x));

it('a grouped ingestBatch hands on exactly what ingesting its events one at a time does, in the same order', () => {
  const seen = { firings: 0, stale: 0, held: 0, duplicates: 0, rejected: 0, renamed: 0, evictions: 0 };
  const retention = fc.constantFrom(...RETENTIONS);
  fc.assert(
    fc.property(
      fc.array(spec, { minLength: 1, maxLength: 5 }),
      fc.array(item, LENGTH),
      retention,
      (specs, items, r) => {
        getterRan = false;
        const one = engineWith(specs, r);
        const all = engineWith(specs, r);
        const fired = [];
        const events = build(items);
        for (let i = 0; i < events.length; i++) {
          // An accessor element goes as one, in a batch of its own: refused unread, as a grouped batch refuses it.
          if (Object.getOwnPropertyDescriptor(events, i)?.get !== undefined)
            one.engine.ingestBatch(accessorBatch());
          else fired.push(...one.engine.ingest(events[i]));
        }
        const together = all.engine.ingestBatch(build(items));
        expect(json(together)).toBe(json(fired));
        expect(all.log).toEqual(one.log);
        expect(all.engine.stats()).toEqual(one.engine.stats());
        expect(state(all.engine)).toBe(state(one.engine));
        expect(getterRan).toBe(false);
        const stats = all.engine.stats();
        seen.firings += together.length;
        seen.stale += all.log.filter((l) => l.includes('"out_of_order"')).length;
        seen.held += all.log.filter((l) => l.startsWith('held')).length;
        seen.duplicates += stats.duplicates;
        seen.rejected += stats.rejected;
        seen.evictions += stats.evictions;
        seen.renamed += items.filter((x) => x.kind === 'row' && x.rename !== 0).length;
      },
    ),
    { numRuns: runs },
  );
  // Not vacuous: batches fired, held back, had stale steps, duplicates, bad events and renames; sweeps released runs.
  for (const n of Object.values(seen)) expect(n).toBeGreaterThan(0);
});

it('a grouped applyBatch gives each event the outcome applying it alone gives, and hands on the same, in order', () => {
  const seen = { accepted: 0, rejected: 0, duplicate: 0, issues: 0, firings: 0, suppressed: 0 };
  fc.assert(
    fc.property(
      fc.array(spec, { minLength: 1, maxLength: 5 }),
      fc.array(item, LENGTH),
      fc.constantFrom(...RETENTIONS),
      (specs, items, r) => {
        getterRan = false;
        const one = engineWith(specs, r);
        const all = engineWith(specs, r);
        const alone: IngestResult[] = [];
        const events = build(items);
        for (let i = 0; i < events.length; i++) {
          // An accessor element goes as one, in a batch of its own: refused unread, as a grouped batch refuses it.
          if (Object.getOwnPropertyDescriptor(events, i)?.get !== undefined)
            alone.push(...one.engine.applyBatch(accessorBatch()));
          else alone.push(one.engine.apply(events[i]));
        }
        const together = all.engine.applyBatch(build(items));
        expect(json(together)).toBe(json(alone));
        expect(all.log).toEqual(one.log);
        expect(all.engine.stats()).toEqual(one.engine.stats());
        expect(state(all.engine)).toBe(state(one.engine));
        expect(getterRan).toBe(false);
        for (const result of together) {
          seen[result.status] += 1;
          seen.issues += result.issues.length;
          seen.firings += result.firings.length;
          seen.suppressed += result.suppressed.length;
        }
      },
    ),
    { numRuns: runs },
  );
  // Not vacuous: events of every status, with issues, firings and held-back matches in their outcomes.
  for (const n of Object.values(seen)) expect(n).toBeGreaterThan(0);
});
