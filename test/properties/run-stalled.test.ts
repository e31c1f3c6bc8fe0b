import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createEngine, DoNothing, type Engine, OnRunStalled } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const runs = Number(process.env['FC_RUNS'] ?? 100);
const MIN = 60_000;
const T0 = 1_000_000_000;
const END = new Set(['finished', 'failed', 'crashed', 'killed']);

type Action =
  | { kind: 'row'; run: number; loss: boolean }
  | { kind: 'state'; run: number; state: string }
  | { kind: 'tick'; by: number }
  | { kind: 'restore'; partitions: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('row' as const), run: fc.nat(3), loss: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('state' as const),
      run: fc.nat(3),
      state: fc.constantFrom('pending', 'running', 'finished', 'failed', 'crashed', 'killed'),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('tick' as const), by: fc.integer({ min: 0, max: 8 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('restore' as const),
      partitions: fc.integer({ min: 1, max: 4 }),
    }),
  },
);

type Logged = { run: number; time: number } & ({ row: true; loss: boolean } | { row: false; state: string });

/**
 * The stall model: it keeps every row and state event, and at each clock tick scans them all for each run's
 * last row since its last end state (rows logged while it is ended do not count), or, before any row, the
 * first `running` since then.
 */
function lastOf(log: readonly Logged[], run: number, metric: boolean): number | undefined {
  let state: string | undefined;
  let last: number | undefined;
  for (const e of log) {
    if (e.run !== run) continue;
    if (e.row) {
      if (state !== undefined && END.has(state)) continue;
      if (metric && !e.loss) continue;
      last = Math.max(last ?? e.time, e.time);
    } else {
      state = e.state;
      if (END.has(state)) last = undefined;
      else if (state === 'running' && last === undefined) last = e.time;
    }
  }
  return last;
}

it('stall firings match a model that scans every row at each clock tick, across snapshots and partitions', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.constantFrom(0, 2 * MIN),
      fc.array(action, { minLength: 1, maxLength: 60 }),
      (forA, forB, cooldownMs, actions) => {
        const clock = new VirtualClock(T0);
        const fired: string[] = [];
        const listen = (e: Engine) =>
          e.firings$.subscribe((f) => fired.push(`${f.automationName}:${f.runId}@${f.time}`));
        let engine = createEngine({ clock });
        listen(engine);
        engine.save(OnRunStalled({ scope: 'acme', forMs: forA * MIN }).do(DoNothing()), {
          name: 'A',
          cooldownMs,
        });
        engine.save(OnRunStalled({ scope: 'acme/p', forMs: forB * MIN, metric: 'loss' }).do(DoNothing()), {
          name: 'B',
          cooldownMs,
        });
        const log: Logged[] = [];
        const expected: string[] = [];
        const judged = new Set<string>();
        const lastFired = new Map<string, number>();
        let n = 0;
        for (const a of actions) {
          const now = clock.now();
          if (a.kind === 'row') {
            log.push({ run: a.run, time: now, row: true, loss: a.loss });
            engine.ingest({
              id: `e${++n}`,
              source: '/t',
              type: 'run.metrics',
              time: now,
              data: {
                entity: 'acme',
                project: 'p',
                runId: `r${a.run}`,
                metrics: a.loss ? { loss: 1 } : { acc: 1 },
              },
            });
          } else if (a.kind === 'state') {
            log.push({ run: a.run, time: now, row: false, state: a.state });
            engine.ingest({
              id: `e${++n}`,
              source: '/t',
              type: 'run.state',
              time: now,
              data: { entity: 'acme', project: 'p', runId: `r${a.run}`, state: a.state },
            });
          } else if (a.kind === 'restore') {
            const state = engine.snapshot();
            void engine.close();
            engine = createEngine({ clock, state, partitions: a.partitions });
            listen(engine);
          } else {
            const to = now + a.by * 30_000;
            const due: [number, string, number][] = [];
            for (const [name, forMs, metric] of [
              ['A', forA * MIN, false],
              ['B', forB * MIN, true],
            ] as const)
              for (let run = 0; run < 4; run++) {
                const last = lastOf(log, run, metric);
                if (last === undefined || last + forMs > to || judged.has(`${name}${run}@${last}`)) continue;
                judged.add(`${name}${run}@${last}`);
                due.push([last + forMs, name, run]);
              }
            due.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : x[2] - y[2]));
            for (const [time, name, run] of due) {
              const held = lastFired.get(`${name}${run}`);
              if (cooldownMs > 0 && held !== undefined && time < held + cooldownMs) continue;
              lastFired.set(`${name}${run}`, time);
              expected.push(`${name}:r${run}@${time}`);
            }
            clock.set(to);
          }
          expect(fired).toEqual(expected);
        }
      },
    ),
    { numRuns: runs },
  );
});
