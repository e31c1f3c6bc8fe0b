import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createEngine,
  type DeadLetter,
  type DeliveryRecord,
  type Engine,
  type EngineOptions,
  OnRunMetric,
  RunEvent,
  SendWebhook,
  type Transport,
  WebhookIntegration,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const { FC_RUNS } = process.env;
const NUM_RUNS = Number(FC_RUNS ?? 200);
const T0 = Date.parse('2026-01-01T00:00:00Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** What the receiver answers to one attempt of one enqueued firing. */
type Answer = 200 | 400 | 500;
type Plan = { readonly answers: readonly Answer[]; readonly tail: 200 | 500 };

type Action =
  /** Ingest event `e<event>` again (same firing id whenever it is accepted), answered by `plan`. */
  | { readonly kind: 'ingest'; readonly event: number; readonly plan: Plan }
  | { readonly kind: 'advance'; readonly ms: number }
  /** Eight days on, and one unrelated event: the seen-id window forgets the old ids, so they fire again. */
  | { readonly kind: 'week' }
  /** close(), then a new engine from the JSON of its snapshot. */
  | { readonly kind: 'restart' };

const answer = fc.constantFrom<Answer>(200, 400, 500);
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('ingest' as const),
      event: fc.nat({ max: 2 }),
      plan: fc.record({
        answers: fc.array(answer, { maxLength: 3 }),
        tail: fc.constantFrom<200 | 500>(200, 500),
      }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.constantFrom(0, 10 * SECOND, MINUTE, 10 * MINUTE),
    }),
  },
  { weight: 1, arbitrary: fc.constant<Action>({ kind: 'week' }) },
  { weight: 1, arbitrary: fc.constant<Action>({ kind: 'restart' }) },
);

const scenario = fc.record({
  actions: fc.array(action, { minLength: 1, maxLength: 30 }),
  historyLimit: fc.nat({ max: 3 }),
  maxDeliveryAttempts: fc.integer({ min: 1, max: 4 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

/** The model: an enqueued firing's end follows from its plan and the attempt budget alone. */
function fate(
  plan: Plan,
  max: number,
): { attempts: number; end: 'delivered' | DeadLetter['deadLetterReason'] } {
  for (let i = 0; i < max; i++) {
    const a = plan.answers[i] ?? plan.tail;
    if (a === 200) return { attempts: i + 1, end: 'delivered' };
    if (a === 400) return { attempts: i + 1, end: 'NonRetriableStatus' };
  }
  return { attempts: max, end: 'MaxDeliveryAttemptsExceeded' };
}

/** Which enqueue a record or letter belongs to: the metric value is the enqueue number plus one. */
const enqueueOf = (r: { readonly firing: DeliveryRecord['firing'] }): number =>
  ((r.firing.event.data as { metrics: { m: number } }).metrics.m as number) - 1;

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

async function advanceTo(clock: VirtualClock, target: number): Promise<void> {
  for (let guard = 0; guard < 10_000; guard++) {
    const next = clock.nextTimer;
    if (next === undefined || next > target) break;
    clock.set(next);
    await flush();
  }
  if (target > clock.now()) clock.set(target);
  await flush();
}

const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

async function check(sc: Scenario): Promise<void> {
  const clock = new VirtualClock(T0);
  const plans: Plan[] = [];
  const attemptsOf = new Map<number, number>();
  // The receiver: the body names the enqueue, and each attempt gets that enqueue's next answer.
  const transport: Transport = {
    async send(request) {
      await Promise.resolve();
      const n = Number((JSON.parse(request.body) as { n: string }).n) - 1;
      const k = attemptsOf.get(n) ?? 0;
      attemptsOf.set(n, k + 1);
      const plan = plans[n] as Plan;
      return { status: plan.answers[k] ?? plan.tail, header: () => undefined };
    },
  };
  const options: EngineOptions = {
    clock,
    integrations: { hook: WebhookIntegration({ url: 'http://127.0.0.1:9/hook' }) },
    delivery: { transport, historyLimit: sc.historyLimit, random: () => 0.5 },
  };
  const delivered: number[] = [];
  const letters: DeadLetter[] = [];
  const listen = (e: Engine): Engine => {
    e.on('delivered', (r) => delivered.push(enqueueOf(r)));
    e.on('dead-lettered', (l) => letters.push(l));
    return e;
  };
  let engine = listen(createEngine(options));
  engine.save(
    OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }).do(
      SendWebhook({ integration: 'hook', payload: { n: '${metric_value}' } }),
    ),
    { name: 'a', cooldownMs: 0, retryPolicy: { maxDeliveryAttempts: sc.maxDeliveryAttempts } },
  );

  const invariants = (): void => {
    const ended = new Set([...delivered, ...letters.map(enqueueOf)]);
    const outstanding = plans.map((_, n) => n).filter((n) => !ended.has(n));
    const history = engine.history();
    expect(history.filter((r) => r.status !== 'pending').length).toBeLessThanOrEqual(sc.historyLimit);
    expect(sorted(history.filter((r) => r.status === 'pending').map(enqueueOf))).toEqual(outstanding);
    expect(sorted(engine.snapshot().deliveries.map(enqueueOf))).toEqual(outstanding);
  };

  let ticks = 0;
  for (const a of sc.actions) {
    if (a.kind === 'ingest') {
      const fired = engine.ingest({
        id: `e${a.event}`,
        source: '/prop',
        type: 'run.metrics',
        data: { entity: 'acme', project: 'vision', runId: `r${a.event}`, metrics: { m: plans.length + 1 } },
      });
      if (fired.length === 1) plans.push(a.plan);
      await flush();
    } else if (a.kind === 'advance') await advanceTo(clock, clock.now() + a.ms);
    else if (a.kind === 'week') {
      await advanceTo(clock, clock.now() + 8 * DAY);
      engine.ingest({ id: `tick-${ticks++}`, source: '/tick', type: 'tick' });
    } else {
      await engine.close();
      const state = JSON.parse(JSON.stringify(engine.snapshot()));
      engine = listen(createEngine({ ...options, state }));
      await flush();
    }
    invariants();
  }
  await advanceTo(clock, clock.now() + DAY);
  invariants();

  // Every enqueue ended exactly once, as the model says, after exactly the attempts it says.
  for (const [n, plan] of plans.entries()) {
    const want = fate(plan, sc.maxDeliveryAttempts);
    const mine = letters.filter((l) => enqueueOf(l) === n);
    expect(attemptsOf.get(n)).toBe(want.attempts);
    if (want.end === 'delivered') {
      expect(delivered.filter((x) => x === n)).toHaveLength(1);
      expect(mine).toHaveLength(0);
    } else {
      expect(delivered).not.toContain(n);
      expect(mine.map((l) => [l.deadLetterReason, l.deliveryAttempts])).toEqual([[want.end, want.attempts]]);
    }
  }
  await engine.close();
}

describe('delivery history against a model (repeated firing ids, small history limits, restarts)', () => {
  it('every enqueued firing is delivered or dead-lettered as the model says; history keeps at most the limit of finished records', async () => {
    await fc.assert(fc.asyncProperty(scenario, check), { numRuns: NUM_RUNS });
  });

  it('a firing enqueued again after the seen-id window keeps its pending record when history is trimmed', async () => {
    await check({
      historyLimit: 1,
      maxDeliveryAttempts: 3,
      actions: [
        { kind: 'ingest', event: 0, plan: { answers: [], tail: 200 } },
        { kind: 'week' },
        { kind: 'ingest', event: 0, plan: { answers: [500], tail: 200 } },
        { kind: 'ingest', event: 1, plan: { answers: [], tail: 200 } },
        { kind: 'restart' },
        { kind: 'advance', ms: MINUTE },
      ],
    });
  });
});
