import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createEngine, DoNothing, type Engine, OnSchedule } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const runs = Number(process.env['FC_RUNS'] ?? 100);
const MIN = 60_000;
const PERIOD = 10 * MIN;
const SAVED = Date.UTC(2026, 0, 1) + 3 * MIN;

type Action =
  | { kind: 'row'; run: number; project: 'p' | 'q'; loss: number | undefined }
  | { kind: 'state'; run: number; project: 'p' | 'q'; state: 'running' | 'finished' | 'failed' }
  | { kind: 'tick'; by: number }
  | { kind: 'restore'; partitions: number };

const project = fc.constantFrom('p' as const, 'q' as const);
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('row' as const),
      run: fc.nat(3),
      project,
      loss: fc.option(fc.integer({ min: -50, max: 50 }), { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('state' as const),
      run: fc.nat(3),
      project,
      state: fc.constantFrom('running' as const, 'finished' as const, 'failed' as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('tick' as const), by: fc.integer({ min: 0, max: 25 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('restore' as const),
      partitions: fc.integer({ min: 1, max: 4 }),
    }),
  },
);

type Row = { key: string; time: number; loss: number | undefined };

it('schedule firings and summaries match a model that keeps every row and cuts periods at the cron times', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 4 }),
      fc.array(action, { minLength: 1, maxLength: 60 }),
      (n, actions) => {
        const clock = new VirtualClock(SAVED);
        const fired: unknown[] = [];
        const listen = (e: Engine) =>
          e.firings$.subscribe((f) => fired.push({ time: f.time, summary: f.summary }));
        let engine = createEngine({ clock, partitions: n });
        listen(engine);
        engine.save(OnSchedule({ scope: 'acme', cron: '*/10 * * * *', metrics: ['loss'] }).do(DoNothing()), {
          name: 'every-10-minutes',
        });
        // Model: every row, every state, and the cron times as multiples of ten minutes (UTC).
        const rows: Row[] = [];
        const states = new Map<string, string>();
        const expected: unknown[] = [];
        let from = SAVED;
        let e = 0;
        for (const a of actions) {
          const now = clock.now();
          if (a.kind === 'row' || a.kind === 'state') {
            const key = `${a.project}/r${a.run}`;
            const data = { entity: 'acme', project: a.project, runId: `r${a.run}` };
            if (a.kind === 'row') {
              rows.push({ key, time: now, loss: a.loss });
              const metrics = a.loss === undefined ? { acc: 1 } : { loss: a.loss };
              engine.ingest({
                id: `e${++e}`,
                source: '/t',
                type: 'run.metrics',
                time: now,
                data: { ...data, metrics },
              });
            } else {
              states.set(key, a.state);
              engine.ingest({
                id: `e${++e}`,
                source: '/t',
                type: 'run.state',
                time: now,
                data: { ...data, state: a.state },
              });
            }
          } else if (a.kind === 'restore') {
            const state = engine.snapshot();
            void engine.close();
            engine = createEngine({ clock, state, partitions: a.partitions });
            listen(engine);
          } else {
            const to = now + a.by * MIN;
            for (let at = (Math.floor(now / PERIOD) + 1) * PERIOD; at <= to; at += PERIOD) {
              const period = rows.filter((r) => r.time >= from && r.time < at);
              from = at;
              if (period.length === 0) continue;
              const byRun = new Map<string, Row[]>();
              for (const r of period) byRun.set(r.key, [...(byRun.get(r.key) ?? []), r]);
              const list = [...byRun].map(([key, mine]) => {
                const [proj = '', runId = ''] = key.split('/');
                const losses = mine.flatMap((r) => (r.loss === undefined ? [] : [r.loss]));
                const state = states.get(key);
                return {
                  entity: 'acme',
                  project: proj,
                  runId,
                  ...(state !== undefined && { state }),
                  lastTime: Math.max(...mine.map((r) => r.time)),
                  metrics:
                    losses.length === 0
                      ? {}
                      : { loss: { last: losses.at(-1), min: Math.min(...losses), max: Math.max(...losses) } },
                };
              });
              list.sort(
                (x, y) => y.lastTime - x.lastTime || (x.project + x.runId < y.project + y.runId ? -1 : 1),
              );
              expected.push({
                time: at,
                summary: {
                  cron: '*/10 * * * *',
                  timezone: 'UTC',
                  // The previous cron time, or when the schedule was saved if that is later.
                  from: Math.max(at - PERIOD, SAVED),
                  to: at,
                  metrics: ['loss'],
                  runs: list,
                  total: list.length,
                },
              });
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
