import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ActionDefinition,
  type Automation,
  createDeliverer,
  createEngine,
  type DeadLetter,
  type Deliverer,
  type DeliveryOptions,
  type DeliveryRecord,
  type Engine,
  type Firing,
  type HttpRequest,
  type HttpResponse,
  OnRunMetric,
  RunEvent,
  SendNotification,
  SendWebhook,
  type Transport,
  WebhookIntegration,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

// The engine delivers through createDeliverer: fed the same firings at the same virtual times, against the
// same fault schedule, a deliverer on its own makes the same attempts and the same records as the engine.

const { FC_RUNS } = process.env;
const NUM_RUNS = Number(FC_RUNS ?? 100);
const T0 = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;
const SECRET = `whsec_${Buffer.alloc(24, 0x17).toString('base64')}`;

type Step =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSec?: number }
  | { readonly kind: 'network' }
  | { readonly kind: 'hang' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .constantFrom(200, 204, 400, 404, 500, 503)
      .map((status): Step => ({ kind: 'status', status })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 0, max: 300 })
      .map((s): Step => ({ kind: 'status', status: 429, retryAfterSec: s })),
  },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'network' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'hang' }) },
);

type Op =
  | { readonly kind: 'fire'; readonly automation: number; readonly events: number; readonly dt: number }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'restart' };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('fire' as const),
      automation: fc.nat({ max: 2 }),
      events: fc.integer({ min: 1, max: 3 }),
      dt: fc.integer({ min: -2 * MINUTE, max: 0 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.integer({ min: 0, max: 20 * MINUTE }),
    }),
  },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'restart' }) },
);

const scenario = fc.record({
  ops: fc.array(op, { minLength: 1, maxLength: 25 }),
  /** What the receiver answers: attempt k of delivery id X meets answers[(hash(X) + k) % length]. */
  answers: fc.array(step, { minLength: 1, maxLength: 12 }),
  maxDeliveryAttempts: fc.integer({ min: 1, max: 6 }),
  ttlMinutes: fc.integer({ min: 1, max: 40 }),
  concurrency: fc.integer({ min: 1, max: 4 }),
  jitter: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  integrationLimit: fc.option(
    fc.record({ perSecond: fc.integer({ min: 1, max: 3 }), burst: fc.integer({ min: 1, max: 2 }) }),
    {
      nil: undefined,
    },
  ),
  onLimit: fc.constantFrom<'queue' | 'skip'>('queue', 'skip'),
  historyLimit: fc.nat({ max: 4 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

const hash = (id: string): number => [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

/** One run's receiver: answers by delivery id (webhook-id) and attempt number; logs what it was sent. */
function receiver(answers: readonly Step[]) {
  const sent: string[] = [];
  const attempts = new Map<string, number>();
  const transport: Transport = {
    async send(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
      await Promise.resolve();
      const id = request.headers['webhook-id'] ?? '';
      const k = attempts.get(id) ?? 0;
      attempts.set(id, k + 1);
      const s = answers[(hash(id) + k) % answers.length] as Step;
      sent.push(`${id} ${request.headers['webhook-timestamp']} ${request.body}`);
      if (s.kind === 'network') throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
      if (s.kind === 'hang')
        return new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        );
      const headers: Record<string, string> =
        s.retryAfterSec === undefined ? {} : { 'retry-after': String(s.retryAfterSec) };
      return { status: s.status, header: (name) => headers[name] };
    },
  };
  return { transport, sent };
}

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

const ACTIONS: readonly ActionDefinition[] = [
  SendWebhook({ integration: 'hook', payload: { run: '${run_id}', m: '${metric_value}' } }),
  SendWebhook({ integration: 'hook' }),
  SendNotification({ integration: 'hook', title: 't', message: '${run_id}', digest: { windowMs: MINUTE } }),
];

/** What a run shows: every record change, the history and pending at the end, letters, and what was sent. */
type Observed = {
  records: DeliveryRecord[];
  letters: DeadLetter[];
  delivered: string[];
  history: unknown;
  sent: string[];
};

function deliveryOptions(sc: Scenario, transport: Transport): DeliveryOptions {
  return {
    transport,
    concurrency: sc.concurrency,
    random: () => sc.jitter,
    historyLimit: sc.historyLimit,
    ...(sc.integrationLimit !== undefined && { rateLimits: { hook: sc.integrationLimit } }),
  };
}

/** The engine's run: each fire op ingests events; returns the firings each op made, and what it observed. */
async function engineRun(
  sc: Scenario,
): Promise<{ firings: Firing[][]; automations: Automation[]; seen: Observed }> {
  const clock = new VirtualClock(T0);
  const rx = receiver(sc.answers);
  const seen: Observed = { records: [], letters: [], delivered: [], history: undefined, sent: rx.sent };
  const options = {
    clock,
    integrations: { hook: WebhookIntegration({ url: 'http://127.0.0.1:9/hook', secret: SECRET }) },
    delivery: deliveryOptions(sc, rx.transport),
  };
  const listen = (e: Engine): Engine => {
    e.deliveries$.subscribe((r) => seen.records.push(r));
    e.on('dead-lettered', (l) => seen.letters.push(l));
    e.on('delivered', (r) => seen.delivered.push(r.firingId));
    return e;
  };
  let engine = listen(createEngine(options));
  const automations = ACTIONS.map((action, k) =>
    engine.save(OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric(`m${k}`).gt(0) }).do(action), {
      name: `a${k}`,
      cooldownMs: 0,
      retryPolicy: { maxDeliveryAttempts: sc.maxDeliveryAttempts, eventTimeToLiveInMinutes: sc.ttlMinutes },
      ...(k === 1 && { rateLimit: { perSecond: 0.05, burst: 1, onLimit: sc.onLimit } }),
    }),
  );
  const firings: Firing[][] = [];
  let n = 0;
  for (const o of sc.ops) {
    const made: Firing[] = [];
    if (o.kind === 'fire') {
      for (let i = 0; i < o.events; i++) {
        n++;
        made.push(
          ...engine.ingest({
            id: `e${n}`,
            source: '/prop',
            type: 'run.metrics',
            time: clock.now() + o.dt,
            data: { entity: 'acme', project: 'vision', runId: `r${n}`, metrics: { [`m${o.automation}`]: n } },
          }),
        );
      }
      await flush();
    } else if (o.kind === 'advance') await advanceTo(clock, clock.now() + o.ms);
    else {
      // Aborted: an attempt in flight (one that hangs) is cut short, spends nothing, and goes on after.
      await engine.close({ abort: true });
      const state = JSON.parse(JSON.stringify(engine.snapshot()));
      engine = listen(createEngine({ ...options, state }));
      await flush();
    }
    firings.push(made);
  }
  await advanceTo(clock, clock.now() + 2 * 24 * 60 * MINUTE);
  seen.history = { history: engine.history(), pending: engine.snapshot().deliveries };
  await engine.close();
  return { firings, automations, seen };
}

/** The same firings, at the same times, into deliverers on their own (closed and restored where the engine was). */
async function delivererRun(
  sc: Scenario,
  firings: readonly Firing[][],
  automations: readonly Automation[],
): Promise<Observed> {
  const clock = new VirtualClock(T0);
  const rx = receiver(sc.answers);
  const seen: Observed = { records: [], letters: [], delivered: [], history: undefined, sent: rx.sent };
  const byId = new Map(automations.map((a) => [a.id, a]));
  const make = (): Deliverer =>
    createDeliverer({
      clock,
      integrations: { hook: WebhookIntegration({ url: 'http://127.0.0.1:9/hook', secret: SECRET }) },
      ...deliveryOptions(sc, rx.transport),
      automation: (id) => byId.get(id),
      onRecord: (r) => seen.records.push(r),
      onDeadLetter: (l) => seen.letters.push(l),
      onDelivered: (r) => seen.delivered.push(r.firingId),
    });
  let deliverer = make();
  for (const [i, o] of sc.ops.entries()) {
    if (o.kind === 'fire') {
      for (const f of firings[i] ?? []) deliverer.deliver(f);
      await flush();
    } else if (o.kind === 'advance') await advanceTo(clock, clock.now() + o.ms);
    else {
      await deliverer.close({ abort: true });
      const pending = JSON.parse(JSON.stringify(deliverer.pending()));
      deliverer = make();
      deliverer.restore(pending);
      await flush();
    }
  }
  await advanceTo(clock, clock.now() + 2 * 24 * 60 * MINUTE);
  seen.history = { history: deliverer.history(), pending: deliverer.pending() };
  await deliverer.close();
  return seen;
}

const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('a deliverer on its own against the engine (same firings, same clock steps, same faults)', () => {
  it('makes the same attempts and the same delivery records, dead letters and history', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (sc) => {
        const { firings, automations, seen: engine } = await engineRun(sc);
        const alone = await delivererRun(sc, firings, automations);
        if (firings.flat().length > 0) expect(engine.records.length).toBeGreaterThan(0);
        expect(json(alone.records)).toEqual(json(engine.records));
        expect(json(alone.letters)).toEqual(json(engine.letters));
        expect(alone.delivered).toEqual(engine.delivered);
        expect(json(alone.history)).toEqual(json(engine.history));
        expect(alone.sent).toEqual(engine.sent);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
