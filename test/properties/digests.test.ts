import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CallbackSink,
  createEngine,
  type Engine,
  type EngineOptions,
  type Firing,
  OnRunMetric,
  RunEvent,
  SendNotification,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const { FC_RUNS } = process.env;
const NUM_RUNS = Number(FC_RUNS ?? 100);
const T0 = Date.parse('2026-01-01T00:00:00Z');
const LISTED = 100;

/** What the receiver got: one delivery, when (engine clock), of which automation, listing which firings. */
type Delivery = {
  readonly at: number;
  readonly automation: string;
  readonly ids: readonly string[];
  readonly count: number;
};

/** The reference model: per automation at most one open window; a window closes when the clock reaches opens + W. */
class Model {
  readonly delivered: Delivery[] = [];
  /** Windows not yet delivered, in the order they opened. */
  readonly pending: { automation: string; closes: number; ids: string[]; count: number }[] = [];
  readonly #open = new Map<string, Model['pending'][number]>();

  fire(now: number, automation: string, time: number, windowMs: number, id: string): void {
    const w = this.#open.get(automation);
    if (w !== undefined && now < w.closes && time < w.closes) {
      if (w.ids.length < LISTED) w.ids.push(id);
      w.count++;
      return;
    }
    const fresh = { automation, closes: time + windowMs, ids: [id], count: 1 };
    this.#open.set(automation, fresh);
    // A window whose close the clock has already passed (an old event) goes out at once.
    if (fresh.closes <= now) this.delivered.push({ at: now, automation, ids: [id], count: 1 });
    else this.pending.push(fresh);
  }

  /** Deliver every window whose close the clock has reached, at its close. */
  advance(now: number): void {
    const due = this.pending.filter((w) => w.closes <= now).sort((a, b) => a.closes - b.closes);
    for (const w of due) {
      this.pending.splice(this.pending.indexOf(w), 1);
      this.delivered.push({ at: w.closes, automation: w.automation, ids: [...w.ids], count: w.count });
    }
  }
}

const WINDOWS = [60_000, 300_000] as const;

const op = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('fire' as const),
      automation: fc.constantFrom(0, 1),
      // At most maxFutureMs (5 min) ahead of the clock: an event dated later is refused, not digested.
      dt: fc.integer({ min: -400_000, max: 300_000 }),
      n: fc.oneof(
        { weight: 8, arbitrary: fc.integer({ min: 1, max: 3 }) },
        { weight: 1, arbitrary: fc.integer({ min: 99, max: 130 }) },
      ),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 400_000 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Move virtual time to `target`, stopping at every timer so each delivery settles at its own time. */
async function advanceTo(clock: VirtualClock, target: number): Promise<void> {
  for (let next = clock.nextTimer; next !== undefined && next <= target; next = clock.nextTimer) {
    clock.set(next);
    await flush();
  }
  clock.set(target);
  await flush();
}

type Op = typeof op extends fc.Arbitrary<infer O> ? O : never;

async function check(ops: readonly Op[]): Promise<void> {
  const clock = new VirtualClock(T0);
  const got: Delivery[] = [];
  const sink = CallbackSink((f: Firing) => {
    got.push({
      at: clock.now(),
      automation: f.automationName,
      ids: f.digest?.firings.map((x) => x.id) ?? [f.id],
      count: f.digest?.count ?? 1,
    });
  });
  const options: EngineOptions = { clock, integrations: { sink } };
  let engine: Engine = createEngine(options);
  for (const [k, windowMs] of WINDOWS.entries()) {
    engine.save(
      OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric(`m${k}`).gt(0) }).do(
        SendNotification({ integration: 'sink', message: '${run_id}', digest: { windowMs } }),
      ),
      { name: `a${k}`, cooldownMs: 0 },
    );
  }
  const model = new Model();
  let events = 0;
  const compare = (): void => {
    const order = (d: readonly Delivery[]) =>
      [...d].sort((x, y) => x.at - y.at || (x.ids[0] ?? '').localeCompare(y.ids[0] ?? ''));
    expect(order(got)).toEqual(order(model.delivered));
    // History: each open window is one pending delivery of several firings.
    const pending = engine.history({ status: 'pending' }).map((r) => ({
      automation: r.automationName,
      ids: r.firing.digest?.firings.map((f) => f.id),
      count: r.firing.digest?.count,
      due: r.dueTime,
    }));
    const expected = model.pending.map((w) => ({
      automation: w.automation,
      ids: w.ids,
      count: w.count,
      due: w.closes,
    }));
    expect(pending.sort((a, b) => (a.due ?? 0) - (b.due ?? 0))).toEqual(
      expected.sort((a, b) => a.due - b.due),
    );
  };

  for (const o of ops) {
    if (o.kind === 'fire') {
      const time = clock.now() + o.dt;
      for (let i = 0; i < o.n; i++) {
        const firings = engine.ingest({
          id: `e${++events}`,
          source: '/prop',
          type: 'run.metrics',
          time,
          data: {
            entity: 'acme',
            project: 'vision',
            runId: `r${events}`,
            metrics: { [`m${o.automation}`]: 1 },
          },
        });
        expect(firings).toHaveLength(1);
        model.fire(
          clock.now(),
          `a${o.automation}`,
          time,
          WINDOWS[o.automation] as number,
          (firings[0] as Firing).id,
        );
      }
    } else if (o.kind === 'advance') {
      await advanceTo(clock, clock.now() + o.ms);
      model.advance(clock.now());
    } else {
      await flush();
      await engine.close();
      const state = JSON.parse(JSON.stringify(engine.snapshot()));
      engine = createEngine({ ...options, state });
    }
    await flush();
    compare();
  }
  await engine.close();
}

describe('digests against a model (windows open at the first firing, close on the engine clock, survive restarts)', () => {
  it('every firing is delivered in exactly one digest, when its window closes, at most 100 listed then counted', async () => {
    await fc.assert(fc.asyncProperty(fc.array(op, { maxLength: 30 }), check), { numRuns: NUM_RUNS });
  });
});
