import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ActionDefinition,
  createEngine,
  DispatchGitHubWorkflow,
  EmailIntegration,
  type Engine,
  type EngineOptions,
  GitHubIntegration,
  type Issue,
  type MailTransport,
  OnRunMetric,
  PagerDutyIntegration,
  RunEvent,
  SendEmail,
  SendPagerDuty,
  SendTeamsMessage,
  SendWebhook,
  TeamsIntegration,
} from '../../src/index.js';
import type {
  DeadLetter,
  DeliveryAttempt,
  DeliveryRecord,
} from '../../src/sinks/delivery/delivery-record.js';
import type { HttpRequest, HttpResponse, Transport } from '../../src/sinks/http/http-request.js';
import { WebhookIntegration } from '../../src/sinks/http/integrations.js';
import { VirtualClock } from '../../src/testing/index.js';

// Destructured: tsc wants ['FC_RUNS'] (an index signature), Biome wants .FC_RUNS.
const { FC_RUNS } = process.env;
const NUM_RUNS = Number(FC_RUNS ?? 200);
const T0 = Date.parse('2026-01-01T00:00:00Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const SECRET = `whsec_${Buffer.alloc(24, 0x42).toString('base64')}`;

/** §8, written out again here as the oracle: the schedule, the minimum waits, the final statuses. */
const SCHEDULE = [
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
];
const MINIMUM: Readonly<Record<number, number>> = { 404: 5 * MINUTE, 408: 2 * MINUTE, 503: 30 * SECOND };
const FINAL = new Set([400, 401, 403, 413]);
const OUTCOME: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  404: 'NotFound',
  408: 'RequestTimeout',
  413: 'PayloadTooLarge',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
};

/**
 * A destination under test, with its published reading of answers written out again as the oracle: which
 * statuses it meets, which deliver, which are final, what each attempt records, the least waits.
 */
type Kind = {
  readonly name: string;
  readonly statuses: readonly number[];
  /** Whether 429 may come with Retry-After. */
  readonly retryAfter: boolean;
  readonly delivered: (status: number) => boolean;
  readonly final: (status: number) => boolean;
  readonly outcome: (status: number) => string;
  readonly minimum: (status: number) => number;
  /** SMTP replies are not HTTP statuses: they go into the attempt's error, not `status`. */
  readonly smtp: boolean;
  readonly integration: () => NonNullable<EngineOptions['integrations']>[string];
  readonly action: ActionDefinition;
};

const http2xx = (status: number): boolean => status >= 200 && status <= 204;
const httpKind = (
  base: Pick<Kind, 'name' | 'statuses' | 'integration' | 'action'>,
  extra: Partial<Kind> = {},
): Kind => ({
  retryAfter: true,
  delivered: http2xx,
  final: (status) => FINAL.has(status),
  outcome: (status) => (http2xx(status) ? 'Delivered' : (OUTCOME[status] ?? 'GenericError')),
  minimum: (status) => MINIMUM[status] ?? 0,
  smtp: false,
  ...base,
  ...extra,
});

const KINDS: readonly Kind[] = [
  httpKind({
    name: 'webhook',
    statuses: [200, 201, 204, 400, 404, 408, 413, 429, 500, 503],
    integration: () => WebhookIntegration({ url: 'http://127.0.0.1:9/hook', secret: SECRET }),
    action: SendWebhook({ integration: 'hook', payload: { run: '${run_id}', value: '${metric_value}' } }),
  }),
  // PagerDuty: 202 accepted, 400 invalid, 429 with a backoff of at least two minutes, 5xx retried.
  httpKind(
    {
      name: 'pagerduty',
      statuses: [202, 400, 429, 500, 502, 503],
      integration: () =>
        PagerDutyIntegration({ routingKey: 'rk-0123456789abcdef', url: 'http://127.0.0.1:9/v2/enqueue' }),
      action: SendPagerDuty({ integration: 'hook', severity: 'error' }),
    },
    { minimum: (status) => (status === 429 ? 2 * MINUTE : (MINIMUM[status] ?? 0)) },
  ),
  // GitHub: 204 dispatched, 401 and 422 final, 5xx retried.
  httpKind(
    {
      name: 'github',
      statuses: [204, 401, 422, 500, 502, 503],
      integration: () =>
        GitHubIntegration({
          token: 'ghp_0123456789',
          owner: 'acme',
          repo: 'trainer',
          apiUrl: 'http://127.0.0.1:9',
        }),
      action: DispatchGitHubWorkflow({ integration: 'hook', eventType: 'retrain' }),
    },
    {
      final: (status) => status === 422 || FINAL.has(status),
      outcome: (status) =>
        http2xx(status)
          ? 'Delivered'
          : status === 422
            ? 'PermanentFailure'
            : (OUTCOME[status] ?? 'GenericError'),
    },
  ),
  httpKind({
    name: 'teams',
    statuses: [200, 202, 400, 429, 500, 503],
    integration: () => TeamsIntegration({ webhookUrl: 'http://127.0.0.1:9/teams?sig=abc123' }),
    action: SendTeamsMessage({ integration: 'hook', title: 't', message: '${run_id}' }),
  }),
  // SMTP: 250 accepted; 4yz transient, retried; 5yz permanent, dead-lettered, except 503 (a bad sequence).
  {
    name: 'email',
    statuses: [250, 421, 450, 451, 503, 550, 552, 554],
    retryAfter: false,
    delivered: (code) => code >= 200 && code < 300,
    final: (code) => code >= 500 && code !== 503,
    outcome: (code) =>
      code >= 200 && code < 300
        ? 'Delivered'
        : code >= 500 && code !== 503
          ? 'PermanentFailure'
          : 'TransientFailure',
    minimum: () => 0,
    smtp: true,
    integration: () =>
      EmailIntegration({ host: '127.0.0.1', port: 9, from: 'ml@acme.io', to: ['ana@acme.io'] }),
    action: SendEmail({ integration: 'hook', subject: 's', body: '${run_id}' }),
  },
];

/** What the receiver does with one attempt. */
type Step =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSec?: number }
  | { readonly kind: 'network' }
  | { readonly kind: 'hang' };

const stepOf = (kind: Kind): fc.Arbitrary<Step> =>
  fc.oneof(
    fc.constantFrom(...kind.statuses).map((status): Step => ({ kind: 'status', status })),
    ...(kind.retryAfter
      ? [
          fc
            .integer({ min: 0, max: 900 })
            .map((s): Step => ({ kind: 'status', status: 429, retryAfterSec: s })),
        ]
      : []),
    fc.constant<Step>({ kind: 'network' }),
    fc.constant<Step>({ kind: 'hang' }),
  );

const okStatus = (kind: Kind): number => (kind.smtp ? 250 : (kind.statuses.find(http2xx) ?? 200));
const failStatus = (kind: Kind): number => (kind.smtp ? 451 : 500);

const scenarioOf = (kind: Kind) =>
  fc.record({
    /** Per firing: what each attempt meets, then `tail` for every attempt after those. */
    firings: fc.array(
      fc.record({
        steps: fc.array(stepOf(kind), { maxLength: 7 }),
        tail: fc.constantFrom<Step>(
          { kind: 'status', status: okStatus(kind) },
          { kind: 'status', status: failStatus(kind) },
        ),
        gapMs: fc.integer({ min: 0, max: 2 * MINUTE }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    maxDeliveryAttempts: fc.integer({ min: 1, max: 7 }),
    ttlMinutes: fc.integer({ min: 1, max: 40 }),
    concurrency: fc.integer({ min: 1, max: 4 }),
    jitter: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    rateLimit: fc.option(
      fc.record({ perSecond: fc.integer({ min: 1, max: 5 }), burst: fc.integer({ min: 1, max: 3 }) }),
      { nil: undefined },
    ),
    advances: fc.array(fc.integer({ min: 0, max: 20 * MINUTE }), { maxLength: 6 }),
    /** Before which advance (if any) to close the engine and continue in a new one from its snapshot. */
    restartAt: fc.option(fc.nat({ max: 6 }), { nil: undefined }),
  });

type Scenario = ReturnType<typeof scenarioOf> extends fc.Arbitrary<infer S> ? S : never;

const stepAt = (f: Scenario['firings'][number], attempt: number): Step => f.steps[attempt] ?? f.tail;

function outcomeOf(kind: Kind, s: Step): string {
  if (s.kind === 'hang') return 'TimedOut';
  if (s.kind === 'network') return 'NetworkError';
  return kind.outcome(s.status);
}

/** The wait after the `n`-th failed attempt that met `s` (jitter ±10 %, as retry-policy.ts documents). */
function expectedDelay(kind: Kind, n: number, s: Step, jitter: number): number {
  const base = SCHEDULE[n - 1] ?? 12 * HOUR;
  const jittered = Math.round(base * (0.9 + 0.2 * jitter));
  const minimum = s.kind === 'status' ? kind.minimum(s.status) : 0;
  const retryAfter = s.kind === 'status' && s.retryAfterSec !== undefined ? s.retryAfterSec * SECOND : 0;
  return Math.max(jittered, minimum, retryAfter);
}

type Sent = { readonly id: string; readonly timestamp: string; readonly body: string; readonly step: Step };

/** An in-memory receiver: answers each attempt from the schedule of its firing (found by webhook-id). */
function scriptedTransport(plan: (id: string) => Scenario['firings'][number] | undefined) {
  const sent: Sent[] = [];
  const attemptsById = new Map<string, number>();
  let open = 0;
  let maxOpen = 0;
  const transport: Transport = {
    async send(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
      open++;
      maxOpen = Math.max(maxOpen, open);
      try {
        // Answered a tick later, like a socket: the test learns the firing's id from ingest() first.
        await Promise.resolve();
        const id = request.headers['webhook-id'] ?? idIn(request.body);
        const n = attemptsById.get(id) ?? 0;
        attemptsById.set(id, n + 1);
        const f = plan(id);
        const s: Step = f === undefined ? { kind: 'status', status: 500 } : stepAt(f, n);
        sent.push({ id, timestamp: request.headers['webhook-timestamp'] ?? '', body: request.body, step: s });
        if (signal.aborted) throw signal.reason;
        if (s.kind === 'network') throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
        if (s.kind === 'hang') {
          return await new Promise<never>((_, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
          );
        }
        const headers: Record<string, string> =
          s.retryAfterSec === undefined ? {} : { 'retry-after': String(s.retryAfterSec) };
        return { status: s.status, header: (name) => headers[name] };
      } finally {
        open--;
      }
    },
  };
  /** The same receiver over SMTP: a reply code per attempt, found by the Message-ID (the firing id). */
  const mail: MailTransport = {
    async send(_server, message, signal) {
      open++;
      maxOpen = Math.max(maxOpen, open);
      try {
        await Promise.resolve();
        const id = idIn(message.messageId);
        const n = attemptsById.get(id) ?? 0;
        attemptsById.set(id, n + 1);
        const f = plan(id);
        const s: Step = f === undefined ? { kind: 'status', status: 451 } : stepAt(f, n);
        sent.push({ id, timestamp: '', body: message.text, step: s });
        if (signal.aborted) throw signal.reason;
        if (s.kind === 'network') throw new Error('connect ECONNREFUSED 127.0.0.1:9');
        if (s.kind === 'hang') {
          return await new Promise<never>((_, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
          );
        }
        return { code: s.status, response: `${s.status} scripted reply` };
      } finally {
        open--;
      }
    },
  };
  return {
    transport,
    mail,
    sent,
    get maxOpen() {
      return maxOpen;
    },
  };
}

/** A firing's id inside a body or a Message-ID (PagerDuty's dedup_key, GitHub's payload, a Teams card). */
const idIn = (text: string): string => /fir_[0-9a-f]{32}/.exec(text)?.[0] ?? '';

/** Let answered attempts settle (all microtasks); unlike engine.idle() this does not wait for hanging ones. */
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Move virtual time to `target`, stopping at every timer so attempts it starts settle at their own time. */
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

async function drain(clock: VirtualClock): Promise<void> {
  for (let guard = 0; guard < 10_000 && clock.nextTimer !== undefined; guard++) {
    clock.set(clock.nextTimer);
    await flush();
  }
}

async function check(kind: Kind, sc: Scenario): Promise<void> {
  const clock = new VirtualClock(T0);
  const byId = new Map<string, Scenario['firings'][number]>();
  const receiver = scriptedTransport((id) => byId.get(id));
  const options = {
    clock,
    integrations: { hook: kind.integration() },
    delivery: {
      transport: receiver.transport,
      mailTransport: receiver.mail,
      concurrency: sc.concurrency,
      random: () => sc.jitter,
      ...(sc.rateLimit !== undefined && { rateLimits: { hook: sc.rateLimit } }),
    },
  };
  let engine = createEngine(options);
  const automation = engine.save(
    OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }).do(kind.action),
    {
      name: 'a',
      cooldownMs: 0,
      retryPolicy: { maxDeliveryAttempts: sc.maxDeliveryAttempts, eventTimeToLiveInMinutes: sc.ttlMinutes },
    },
  );
  const delivered: string[] = [];
  const letters: DeadLetter[] = [];
  const issues: Issue[] = [];
  const listen = (e: Engine): void => {
    e.on('delivered', (r) => delivered.push(r.firingId));
    e.on('dead-lettered', (l) => letters.push(l));
    e.errors$.subscribe((i) => issues.push(i));
  };
  listen(engine);
  /** Engines closed by a restart: their history holds what ended before it. */
  const retired: Engine[] = [];
  /** Each firing's newest record, across restarts. */
  const records = (): Map<string, DeliveryRecord> =>
    new Map([...retired, engine].flatMap((e) => e.history().reverse()).map((r) => [r.firingId, r]));

  const ids: string[] = [];
  const invariants = (): void => {
    const history = [...records().values()];
    expect(history.map((r) => r.firingId).sort()).toEqual([...ids].sort());
    for (const r of history) {
      expect(r.attempts.length).toBeLessThanOrEqual(sc.maxDeliveryAttempts);
      if (r.status === 'pending') expect(typeof r.dueTime).toBe('number');
      else expect(['finished', 'failed']).toContain(r.status);
    }
  };
  /** close() (nothing in flight, so nothing is cut short), then go on in a new engine from the snapshot. */
  const restart = async (): Promise<void> => {
    if (engine.stats().deliveriesInFlight > 0) return;
    await engine.close();
    const state = JSON.parse(JSON.stringify(engine.snapshot()));
    retired.push(engine);
    engine = createEngine({ ...options, state });
    listen(engine);
    await flush();
  };

  for (const [i, f] of sc.firings.entries()) {
    const firings = engine.ingest({
      id: `e${i}`,
      source: '/prop',
      type: 'run.metrics',
      data: { entity: 'acme', project: 'vision', runId: `r${i}`, metrics: { m: i + 1 } },
    });
    expect(firings).toHaveLength(1);
    const id = (firings[0] as { id: string }).id;
    byId.set(id, f);
    ids.push(id);
    await flush();
    await advanceTo(clock, clock.now() + f.gapMs);
    invariants();
  }
  for (const [i, ms] of sc.advances.entries()) {
    if (sc.restartAt === i) await restart();
    await advanceTo(clock, clock.now() + ms);
    invariants();
  }
  if (sc.restartAt !== undefined && sc.restartAt >= sc.advances.length) await restart();
  await drain(clock);
  invariants();
  expect(clock.pendingTimers).toBe(0);
  expect(engine.stats().deliveriesInFlight).toBe(0);

  // Every firing ended exactly once, as finished or dead-lettered.
  const history = records();
  const lettered = letters.map((l) => l.firing.id);
  expect([...delivered, ...lettered].sort()).toEqual([...ids].sort());
  expect(issues.map((i) => i.code)).toEqual(lettered.map(() => 'dead_lettered'));
  expect(receiver.maxOpen).toBeLessThanOrEqual(sc.concurrency);

  const exactTiming = sc.rateLimit === undefined && sc.concurrency >= sc.firings.length;
  const ttlMs = sc.ttlMinutes * MINUTE;
  for (const [i, id] of ids.entries()) {
    const f = sc.firings[i] as Scenario['firings'][number];
    const r = history.get(id) as DeliveryRecord;
    const attempts: readonly DeliveryAttempt[] = r.attempts;
    const k = attempts.length;
    expect(k).toBeGreaterThanOrEqual(1);
    expect(k).toBeLessThanOrEqual(sc.maxDeliveryAttempts);
    expect(attempts.map((a) => a.outcome)).toEqual(attempts.map((_, n) => outcomeOf(kind, stepAt(f, n))));
    expect(attempts[0]?.time).toBeGreaterThanOrEqual(r.publishTime);
    if (exactTiming) expect(attempts[0]?.time).toBe(r.publishTime);
    const end = (n: number): number =>
      (attempts[n] as DeliveryAttempt).time + (attempts[n] as DeliveryAttempt).durationMs;
    for (const [n, a] of attempts.entries()) {
      const s = stepAt(f, n);
      expect(a.durationMs).toBe(s.kind === 'hang' ? 30 * SECOND : 0);
      if (s.kind !== 'status') expect(typeof a.error).toBe('string');
      else if (!kind.smtp) expect(a.status).toBe(s.status);
      else if (!kind.delivered(s.status)) expect(a.error).toContain(String(s.status));
      if (n === 0) continue;
      const earliest = end(n - 1) + expectedDelay(kind, n, stepAt(f, n - 1), sc.jitter);
      expect(earliest).toBeLessThanOrEqual(r.publishTime + ttlMs);
      if (exactTiming) expect(a.time).toBe(earliest);
      else expect(a.time).toBeGreaterThanOrEqual(earliest);
    }
    // Why it ended: the last attempt's answer, the attempt budget, or the time to live.
    const last = stepAt(f, k - 1);
    if (last.kind === 'status' && kind.delivered(last.status)) {
      expect(r.status).toBe('finished');
      expect(delivered.filter((x) => x === id)).toHaveLength(1);
      continue;
    }
    expect(r.status).toBe('failed');
    const reason =
      last.kind === 'status' && kind.final(last.status)
        ? 'NonRetriableStatus'
        : k === sc.maxDeliveryAttempts
          ? 'MaxDeliveryAttemptsExceeded'
          : 'TimeToLiveExceeded';
    if (reason === 'TimeToLiveExceeded')
      expect(end(k - 1) + expectedDelay(kind, k, last, sc.jitter)).toBeGreaterThan(r.publishTime + ttlMs);
    expect(r.deadLetterReason).toBe(reason);
    const mine = letters.filter((l) => l.firing.id === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      automationId: automation.id,
      deadLetterReason: reason,
      deliveryAttempts: k,
      lastDeliveryOutcome: outcomeOf(kind, last),
      publishTime: r.publishTime,
      lastDeliveryAttemptTime: attempts[k - 1]?.time,
      ...(last.kind === 'status' && !kind.smtp && { lastHttpStatusCode: last.status }),
    });
  }

  // The receiver: every attempt reached it, signed with the firing's id and the attempt's own time, same body.
  for (const id of ids) {
    const mine = receiver.sent.filter((s) => s.id === id);
    const r = history.get(id) as DeliveryRecord;
    expect(mine).toHaveLength(r.attempts.length);
    if (kind.name === 'webhook')
      expect(mine.map((s) => s.timestamp)).toEqual(r.attempts.map((a) => String(Math.floor(a.time / 1000))));
    expect(new Set(mine.map((s) => s.body)).size).toBe(1);
  }
  expect(receiver.sent.map((s) => s.id).every((id) => byId.has(id))).toBe(true);
  // A receiver that deduplicates by webhook-id processes each delivered firing exactly once.
  const processed = new Map<string, number>();
  for (const s of receiver.sent) {
    if (s.step.kind === 'network') continue;
    if (!processed.has(s.id)) processed.set(s.id, 0);
    if (s.step.kind === 'status' && kind.delivered(s.step.status))
      processed.set(s.id, (processed.get(s.id) ?? 0) + 1);
  }
  for (const id of delivered) expect(processed.get(id)).toBe(1);
  await engine.close();
}

describe('delivery under random fault schedules (in-memory transport, virtual time)', () => {
  it.each(KINDS.map((k) => [k.name, k] as const))(
    '%s: every firing ends exactly once (finished or dead-lettered), on schedule, never lost',
    async (name, kind) => {
      // The webhook runs the full count; each newer transport a quarter of it, so the suite stays quick.
      const numRuns = name === 'webhook' ? NUM_RUNS : Math.max(1, Math.ceil(NUM_RUNS / 4));
      await fc.assert(
        fc.asyncProperty(scenarioOf(kind), (sc) => check(kind, sc)),
        { numRuns },
      );
    },
  );

  it('a receiver that never settles and ignores the abort signal still ends at the 30 s attempt timeout', async () => {
    const clock = new VirtualClock(T0);
    const stuck: Transport = { send: () => new Promise<never>(() => undefined) };
    const engine = createEngine({
      clock,
      integrations: { hook: WebhookIntegration({ url: 'http://127.0.0.1:9/hook' }) },
      delivery: { transport: stuck },
    });
    engine.save(
      OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }).do(
        SendWebhook({ integration: 'hook' }),
      ),
      { name: 'a', cooldownMs: 0, retryPolicy: { maxDeliveryAttempts: 1 } },
    );
    engine.ingest({
      id: 'e1',
      source: '/t',
      type: 'run.metrics',
      data: { entity: 'acme', project: 'vision', runId: 'r1', metrics: { m: 1 } },
    });
    clock.advance(30 * SECOND);
    const settled = await Promise.race([
      engine.idle().then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 50)),
    ]);
    expect(settled).toBe(true);
    expect(engine.history()[0]).toMatchObject({
      status: 'failed',
      deadLetterReason: 'MaxDeliveryAttemptsExceeded',
      attempts: [{ time: T0, durationMs: 30 * SECOND, outcome: 'TimedOut' }],
    });
  });
});
