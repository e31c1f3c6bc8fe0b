import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEngine,
  type Engine,
  type EngineOptions,
  type Issue,
  OnRunMetric,
  RunEvent,
  type SaveOptions,
  SendNotification,
  SendWebhook,
} from '../../src/index.js';
import type { DeliveryOptions } from '../../src/sinks/delivery/delivery-options.js';
import type { DeadLetter, DeliveryRecord } from '../../src/sinks/delivery/delivery-record.js';
import { SlackIntegration, WebhookIntegration } from '../../src/sinks/http/integrations.js';
import { verifyWebhook } from '../../src/sinks/http/signing.js';
import { VirtualClock } from '../../src/testing/index.js';
import {
  hang,
  type RecordedRequest,
  reset,
  respond,
  startServer,
  type TestServer,
} from '../helpers/http-server.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** 32 key bytes: a Standard Webhooks secret. */
const SECRET = `whsec_${Buffer.alloc(32, 0x3c).toString('base64')}`;
const TOKEN = 'tok-7f3a9c1e5b2d4f60';
const API_KEY = 'key-c0ffee-91d2e8b7a6';
const SLACK_PATH = '/services/T0001/B0002/slackTokenZq8v3XkWm1';

let server: TestServer;
let engines: Engine[] = [];
let dirs: string[] = [];

beforeEach(async () => {
  server = await startServer();
});

afterEach(async () => {
  for (const e of engines) await e.close({ abort: true });
  engines = [];
  await server.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  dirs = [];
});

type Setup = {
  engine: Engine;
  clock: VirtualClock;
  t0: number;
  issues: Issue[];
  letters: DeadLetter[];
  delivered: DeliveryRecord[];
  records: DeliveryRecord[];
  /** Ingest one run.metrics event with m = 1 and return the id of the one firing it made. */
  fire: (eventId?: string) => string;
};

let eventCounter = 0;

/**
 * An engine on virtual time starting at the current whole second (so signatures are fresh for real verifiers),
 * with `hook` (a signed webhook with a bearer token) and `slack` pointing at the test server, and one
 * automation `a` sending a templated webhook through `integration`.
 */
function setup(
  options: {
    integration?: 'hook' | 'slack';
    save?: SaveOptions;
    delivery?: DeliveryOptions;
    notification?: boolean;
    state?: EngineOptions['state'];
    clock?: VirtualClock;
  } = {},
): Setup {
  const t0 = Math.floor(Date.now() / 1000) * 1000;
  const clock = options.clock ?? new VirtualClock(t0);
  const engine = createEngine({
    clock,
    integrations: {
      hook: WebhookIntegration({
        url: `${server.origin}/hooks/ml?team=vision`,
        secret: SECRET,
        accessToken: TOKEN,
        secrets: { API_KEY },
      }),
      slack: SlackIntegration({ webhookUrl: `${server.origin}${SLACK_PATH}` }),
    },
    delivery: { random: () => 0.5, ...options.delivery },
    ...(options.state !== undefined && { state: options.state }),
  });
  engines.push(engine);
  const integration = options.integration ?? 'hook';
  if (options.state === undefined) {
    const action =
      options.notification === true
        ? SendNotification({
            integration,
            title: 'Metric ${metric_name}',
            message: '${run_id} logged ${metric_value}',
            severity: 'WARN',
          })
        : SendWebhook({
            integration,
            payload: {
              run: '${run_id}',
              value: '${metric_value}',
              automation: '${automation_name}',
              key: '${API_KEY}',
              nested: { project: '${entity_name}/${project_name}', fixed: 7 },
            },
          });
    engine.save(OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }).do(action), {
      name: 'a',
      cooldownMs: 0,
      ...options.save,
    });
  }
  const issues: Issue[] = [];
  const letters: DeadLetter[] = [];
  const delivered: DeliveryRecord[] = [];
  const records: DeliveryRecord[] = [];
  engine.errors$.subscribe((i) => issues.push(i));
  engine.deliveries$.subscribe((r) => records.push(r));
  engine.on('dead-lettered', (l) => letters.push(l));
  engine.on('delivered', (r) => delivered.push(r));
  const fire = (eventId = `e${++eventCounter}`): string => {
    const firings = engine.ingest({
      id: eventId,
      source: '/t',
      type: 'run.metrics',
      data: { entity: 'acme', project: 'vision', runId: 'r1', metrics: { m: 1 } },
    });
    expect(firings).toHaveLength(1);
    return (firings[0] as { id: string }).id;
  };
  return { engine, clock, t0: clock.now(), issues, letters, delivered, records, fire };
}

/** Let in-flight attempts (real sockets) settle: idle, then a macrotask turn, until nothing is in flight. */
async function settle(engine: Engine): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await engine.idle();
    await new Promise((r) => setImmediate(r));
  }
  expect(engine.stats().deliveriesInFlight).toBe(0);
}

/** Advance virtual time and let whatever that started settle. */
async function advance(s: Setup, ms: number): Promise<void> {
  s.clock.advance(ms);
  await settle(s.engine);
}

function only(engine: Engine, firingId: string): DeliveryRecord {
  const matches = engine.history().filter((r) => r.firingId === firingId);
  expect(matches).toHaveLength(1);
  return matches[0] as DeliveryRecord;
}

const header = (r: RecordedRequest | undefined, name: string): string | undefined => {
  const v = r?.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

const signedHeaders = (r: RecordedRequest): Record<string, string> => ({
  'webhook-id': header(r, 'webhook-id') ?? '',
  'webhook-timestamp': header(r, 'webhook-timestamp') ?? '',
  'webhook-signature': header(r, 'webhook-signature') ?? '',
});

describe('webhook delivery to a real HTTP receiver', () => {
  it.each([200, 202, 204])('HTTP %i counts as delivered after one attempt', async (status) => {
    server.otherwise(respond(status));
    const s = setup();
    const id = s.fire();
    await settle(s.engine);
    expect(server.requests).toHaveLength(1);
    const record = only(s.engine, id);
    expect(record.status).toBe('finished');
    expect(record.attempts).toEqual([{ time: s.t0, durationMs: 0, outcome: 'Delivered', status }]);
    expect(s.delivered.map((r) => r.firingId)).toEqual([id]);
    expect(s.letters).toEqual([]);
    expect(s.records.map((r) => r.status)).toEqual(['pending', 'finished']);
    // Nothing is left to do: a day later there is still exactly one request.
    await advance(s, 24 * 60 * MINUTE);
    expect(server.requests).toHaveLength(1);
  });

  it('posts the rendered payload as JSON with bearer token and a Standard Webhooks signature', async () => {
    const s = setup();
    const id = s.fire();
    await settle(s.engine);
    expect(server.requests).toHaveLength(1);
    const r = server.requests[0] as RecordedRequest;
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/hooks/ml?team=vision');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(r.body)).toEqual({
      run: 'r1',
      value: '1',
      automation: 'a',
      key: API_KEY,
      nested: { project: 'acme/vision', fixed: 7 },
    });
    expect(header(r, 'webhook-id')).toBe(id);
    expect(header(r, 'webhook-timestamp')).toBe(String(s.t0 / 1000));
    expect(header(r, 'webhook-signature')).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    // The independent reference implementation accepts it (its clock is the real one: t0 is now).
    expect(new Webhook(SECRET).verify(r.body, signedHeaders(r))).toEqual(JSON.parse(r.body));
    expect(() => verifyWebhook(SECRET, r.headers, r.body, { nowSec: s.t0 / 1000 })).not.toThrow();
    // And rejects the same headers on a body changed by one byte.
    expect(() => new Webhook(SECRET).verify(r.body.replace('r1', 'r2'), signedHeaders(r))).toThrow();
  });

  it.each([
    [400, 'BadRequest'],
    [401, 'Unauthorized'],
    [403, 'Forbidden'],
    [413, 'PayloadTooLarge'],
  ] as const)('HTTP %i is not retried: one attempt, then a dead letter', async (status, outcome) => {
    server.otherwise(respond(status));
    const s = setup();
    const id = s.fire();
    await settle(s.engine);
    const record = only(s.engine, id);
    expect(record.status).toBe('failed');
    expect(record.deadLetterReason).toBe('NonRetriableStatus');
    expect(record.attempts).toEqual([{ time: s.t0, durationMs: 0, outcome, status }]);
    expect(s.letters).toHaveLength(1);
    const { firing, ...letter } = s.letters[0] as DeadLetter;
    expect(firing.id).toBe(id);
    expect(letter).toEqual({
      automationId: record.automationId,
      automationName: 'a',
      integration: 'hook',
      deadLetterReason: 'NonRetriableStatus',
      deliveryAttempts: 1,
      lastDeliveryOutcome: outcome,
      lastHttpStatusCode: status,
      publishTime: s.t0,
      lastDeliveryAttemptTime: s.t0,
    });
    expect(s.issues.map((i) => i.code)).toEqual(['dead_lettered']);
    expect(s.delivered).toEqual([]);
    await advance(s, 24 * 60 * MINUTE);
    expect(server.requests).toHaveLength(1);
    expect(s.clock.pendingTimers).toBe(0);
  });

  it('HTTP 500 is retried 10 s later with the same webhook-id and a fresh timestamp and signature', async () => {
    server.script(respond(500));
    const s = setup();
    const id = s.fire();
    await settle(s.engine);
    expect(only(s.engine, id)).toMatchObject({
      status: 'pending',
      dueTime: s.t0 + 10 * SECOND,
      attempts: [{ time: s.t0, durationMs: 0, outcome: 'GenericError', status: 500 }],
    });
    await advance(s, 10 * SECOND - 1);
    expect(server.requests).toHaveLength(1);
    await advance(s, 1);
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests as [RecordedRequest, RecordedRequest];
    expect(header(second, 'webhook-id')).toBe(id);
    expect(header(first, 'webhook-id')).toBe(id);
    expect(header(second, 'webhook-timestamp')).toBe(String(s.t0 / 1000 + 10));
    expect(header(second, 'webhook-signature')).not.toBe(header(first, 'webhook-signature'));
    expect(second.body).toBe(first.body);
    expect(new Webhook(SECRET).verify(second.body, signedHeaders(second))).toEqual(JSON.parse(second.body));
    const record = only(s.engine, id);
    expect(record.status).toBe('finished');
    expect(record.attempts.map((a) => [a.time - s.t0, a.outcome, a.status])).toEqual([
      [0, 'GenericError', 500],
      [10 * SECOND, 'Delivered', 200],
    ]);
    expect(s.delivered).toHaveLength(1);
  });

  it.each([
    ['delta-seconds', (_now: number) => '120', 120 * SECOND],
    ['an HTTP-date', (now: number) => new Date(now + 200 * SECOND).toUTCString(), 200 * SECOND],
    ['shorter than the schedule (the 10 s still apply)', (_now: number) => '1', 10 * SECOND],
  ])('HTTP 429 with Retry-After as %s: the next attempt is not before it', async (_name, value, wait) => {
    const s = setup();
    server.script(respond(429, { 'retry-after': value(s.t0) }));
    const id = s.fire();
    await settle(s.engine);
    expect(only(s.engine, id)).toMatchObject({
      status: 'pending',
      dueTime: s.t0 + wait,
      attempts: [{ outcome: 'TooManyRequests', status: 429 }],
    });
    await advance(s, wait - 1);
    expect(server.requests).toHaveLength(1);
    await advance(s, 1);
    expect(server.requests).toHaveLength(2);
    expect(only(s.engine, id).attempts.map((a) => a.time - s.t0)).toEqual([0, wait]);
  });

  it.each([
    [404, 'NotFound', 5 * MINUTE],
    [408, 'RequestTimeout', 2 * MINUTE],
    [503, 'ServiceUnavailable', 30 * SECOND],
  ] as const)('HTTP %i (%s) waits at least its minimum before the retry', async (status, outcome, wait) => {
    server.script(respond(status));
    const s = setup();
    const id = s.fire();
    await settle(s.engine);
    expect(only(s.engine, id)).toMatchObject({
      status: 'pending',
      dueTime: s.t0 + wait,
      attempts: [{ time: s.t0, outcome, status }],
    });
    await advance(s, wait - 1);
    expect(server.requests).toHaveLength(1);
    await advance(s, 1);
    expect(server.requests).toHaveLength(2);
    expect(only(s.engine, id).status).toBe('finished');
  });

  it('a receiver that never answers is aborted after 30 s of engine time (TimedOut) and retried', async () => {
    server.script(hang);
    const s = setup();
    const id = s.fire();
    await server.waitForRequests(1);
    s.clock.advance(30 * SECOND - 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(s.engine.stats().deliveriesInFlight).toBe(1);
    expect(server.inFlight).toBe(1);
    await advance(s, 1);
    const record = only(s.engine, id);
    expect(record.status).toBe('pending');
    expect(record.dueTime).toBe(s.t0 + 40 * SECOND);
    expect(record.attempts).toHaveLength(1);
    expect(record.attempts[0]).toMatchObject({ time: s.t0, durationMs: 30 * SECOND, outcome: 'TimedOut' });
    expect(typeof record.attempts[0]?.error).toBe('string');
    await advance(s, 10 * SECOND);
    expect(server.requests).toHaveLength(2);
    expect(only(s.engine, id).status).toBe('finished');
    expect(header(server.requests[1], 'webhook-id')).toBe(id);
  });

  it('a connection reset is a NetworkError and is retried', async () => {
    server.script(reset);
    const s = setup();
    const id = s.fire();
    await settle(s.engine);
    const record = only(s.engine, id);
    expect(record).toMatchObject({ status: 'pending', dueTime: s.t0 + 10 * SECOND });
    expect(record.attempts).toHaveLength(1);
    expect(record.attempts[0]).toMatchObject({ time: s.t0, durationMs: 0, outcome: 'NetworkError' });
    expect(record.attempts[0]?.error).toMatch(/fetch failed/);
    expect(record.attempts[0]?.status).toBeUndefined();
    await advance(s, 10 * SECOND);
    expect(server.requests).toHaveLength(2);
    expect(only(s.engine, id).attempts.map((a) => a.outcome)).toEqual(['NetworkError', 'Delivered']);
  });

  it('a slow receiver under load: 200 firings, concurrency 4, never more than 4 requests open, each once', async () => {
    server.otherwise(respond(204, {}, 20));
    const s = setup({ delivery: { concurrency: 4 } });
    const ids = Array.from({ length: 200 }, (_, i) => s.fire(`load-${i}`));
    expect(s.engine.stats().deliveriesInFlight).toBe(4);
    // Real time passes here (the receiver sleeps); virtual time does not, and need not.
    while (s.delivered.length < 200 && server.requests.length <= 200) await settle(s.engine);
    expect(server.requests).toHaveLength(200);
    expect(server.maxInFlight).toBe(4);
    expect(new Set(server.requests.map((r) => header(r, 'webhook-id')))).toEqual(new Set(ids));
    expect(s.delivered.map((r) => r.firingId).sort()).toEqual([...ids].sort());
    expect(s.engine.history({ status: 'finished' })).toHaveLength(200);
    expect(s.engine.history().every((r) => r.attempts.length === 1)).toBe(true);
  });

  it('maxDeliveryAttempts exhausted: MaxDeliveryAttemptsExceeded after exactly that many attempts', async () => {
    server.otherwise(respond(500));
    const s = setup({ save: { retryPolicy: { maxDeliveryAttempts: 3 } } });
    const id = s.fire();
    await settle(s.engine);
    await advance(s, 10 * SECOND);
    await advance(s, 30 * SECOND);
    expect(server.requests).toHaveLength(3);
    const record = only(s.engine, id);
    expect(record.status).toBe('failed');
    expect(record.deadLetterReason).toBe('MaxDeliveryAttemptsExceeded');
    expect(record.attempts.map((a) => a.time - s.t0)).toEqual([0, 10 * SECOND, 40 * SECOND]);
    expect(s.letters).toHaveLength(1);
    expect(s.letters[0]).toMatchObject({
      deadLetterReason: 'MaxDeliveryAttemptsExceeded',
      deliveryAttempts: 3,
      lastDeliveryOutcome: 'GenericError',
      lastHttpStatusCode: 500,
      publishTime: s.t0,
      lastDeliveryAttemptTime: s.t0 + 40 * SECOND,
    });
    await advance(s, 24 * 60 * MINUTE);
    expect(server.requests).toHaveLength(3);
  });

  it('time to live exhausted: TimeToLiveExceeded once the next retry would fall after it', async () => {
    server.otherwise(respond(500));
    const s = setup({ save: { retryPolicy: { eventTimeToLiveInMinutes: 1 } } });
    const id = s.fire();
    await settle(s.engine);
    await advance(s, 10 * SECOND);
    expect(only(s.engine, id).status).toBe('pending');
    // Third attempt at 40 s; the next would be at 100 s, past the 60 s time to live.
    await advance(s, 30 * SECOND);
    const record = only(s.engine, id);
    expect(record.status).toBe('failed');
    expect(record.deadLetterReason).toBe('TimeToLiveExceeded');
    expect(s.letters[0]).toMatchObject({
      deadLetterReason: 'TimeToLiveExceeded',
      deliveryAttempts: 3,
      lastDeliveryOutcome: 'GenericError',
      lastHttpStatusCode: 500,
      lastDeliveryAttemptTime: s.t0 + 40 * SECOND,
    });
    await advance(s, 24 * 60 * MINUTE);
    expect(server.requests).toHaveLength(3);
  });

  it('a dead-letter JSONL file gets one line per dead letter, with the dead-letter fields', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mla-dl-'));
    dirs.push(dir);
    const file = join(dir, 'dead.jsonl');
    server.script(respond(413));
    server.otherwise(respond(500));
    const s = setup({
      delivery: { deadLetter: { file } },
      save: { retryPolicy: { maxDeliveryAttempts: 2 } },
    });
    const first = s.fire();
    const second = s.fire();
    await settle(s.engine);
    await advance(s, 10 * SECOND);
    expect(s.letters).toHaveLength(2);
    const lines = await readLines(file, 2);
    expect(lines).toHaveLength(2);
    const parsed = lines.map((l) => JSON.parse(l) as DeadLetter);
    expect(parsed.map((l) => [l.firing.id, l.deadLetterReason, l.deliveryAttempts])).toEqual([
      [first, 'NonRetriableStatus', 1],
      [second, 'MaxDeliveryAttemptsExceeded', 2],
    ]);
    expect(parsed[0]).toMatchObject({
      automationName: 'a',
      integration: 'hook',
      lastDeliveryOutcome: 'PayloadTooLarge',
      lastHttpStatusCode: 413,
      publishTime: s.t0,
      lastDeliveryAttemptTime: s.t0,
    });
    expect(parsed[1]).toMatchObject({
      lastDeliveryOutcome: 'GenericError',
      lastHttpStatusCode: 500,
      publishTime: s.t0,
      lastDeliveryAttemptTime: s.t0 + 10 * SECOND,
    });
    expect(JSON.parse(JSON.stringify(s.letters))).toEqual(parsed);
  });

  it('a dead-letter file that could not be written once still gets the later letters', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mla-dl-'));
    dirs.push(dir);
    const file = join(dir, 'later', 'dead.jsonl');
    server.otherwise(respond(400));
    const s = setup({ delivery: { deadLetter: { file } } });
    s.fire();
    await settle(s.engine);
    await waitFor(() => s.issues.some((i) => i.code === 'sink_failed'));
    // The directory exists now: the next letter must be written, whatever happened to the first.
    await mkdir(join(dir, 'later'));
    const second = s.fire();
    await settle(s.engine);
    const lines = await readLines(file, 1);
    expect(lines.map((l) => (JSON.parse(l) as DeadLetter).firing.id)).toEqual([second]);
  });

  it('history() records every attempt: time, status code or error, duration', async () => {
    server.script(reset, respond(500), hang, respond(201));
    const s = setup();
    const id = s.fire();
    await settle(s.engine);
    await advance(s, 10 * SECOND);
    s.clock.advance(30 * SECOND);
    await server.waitForRequests(3);
    s.clock.advance(30 * SECOND);
    await settle(s.engine);
    // After a timeout at 70 s, the third retry waits 1 min.
    await advance(s, 60 * SECOND);
    expect(server.requests).toHaveLength(4);
    const record = only(s.engine, id);
    expect(record.status).toBe('finished');
    expect(record.attempts.map(({ error, ...a }) => ({ ...a, error: typeof error }))).toEqual([
      { time: s.t0, durationMs: 0, outcome: 'NetworkError', error: 'string' },
      { time: s.t0 + 10 * SECOND, durationMs: 0, outcome: 'GenericError', status: 500, error: 'undefined' },
      { time: s.t0 + 40 * SECOND, durationMs: 30 * SECOND, outcome: 'TimedOut', error: 'string' },
      { time: s.t0 + 130 * SECOND, durationMs: 0, outcome: 'Delivered', status: 201, error: 'undefined' },
    ]);
    expect(s.records.map((r) => [r.status, r.attempts.length])).toEqual([
      ['pending', 0],
      ['pending', 1],
      ['pending', 2],
      ['pending', 3],
      ['finished', 4],
    ]);
    expect(s.engine.history({ automationId: record.automationId, status: 'finished', limit: 5 })).toEqual([
      record,
    ]);
    expect(s.engine.history({ status: 'pending' })).toEqual([]);
  });

  it('close() leaves a pending retry in the snapshot, and a new engine from that state delivers it', async () => {
    server.script(respond(503));
    const s = setup();
    const id = s.fire();
    await settle(s.engine);
    await s.engine.close();
    const state = s.engine.snapshot();
    expect(state.deliveries).toHaveLength(1);
    expect(state.deliveries?.[0]).toMatchObject({
      firingId: id,
      status: 'pending',
      dueTime: s.t0 + 30 * SECOND,
      attempts: [{ time: s.t0, outcome: 'ServiceUnavailable', status: 503 }],
    });
    // The closed engine does nothing more, however far time goes.
    s.clock.advance(MINUTE);
    await new Promise((r) => setTimeout(r, 20));
    expect(server.requests).toHaveLength(1);

    const clock = new VirtualClock(s.t0 + 20 * SECOND);
    const next = setup({ state: JSON.parse(JSON.stringify(state)), clock });
    expect(next.engine.history()).toHaveLength(1);
    await advance(next, 10 * SECOND - 1);
    expect(server.requests).toHaveLength(1);
    await advance(next, 1);
    expect(server.requests).toHaveLength(2);
    expect(header(server.requests[1], 'webhook-id')).toBe(id);
    const record = only(next.engine, id);
    expect(record.status).toBe('finished');
    expect(record.attempts.map((a) => [a.time - s.t0, a.outcome])).toEqual([
      [0, 'ServiceUnavailable'],
      [30 * SECOND, 'Delivered'],
    ]);
    expect(next.delivered.map((r) => r.firingId)).toEqual([id]);
    expect(next.engine.snapshot().deliveries).toEqual([]);
  });

  it('close({ abort: true }) cuts an attempt short but keeps the firing pending for the next engine', async () => {
    server.script(hang);
    const s = setup({ save: { retryPolicy: { maxDeliveryAttempts: 1 } } });
    const id = s.fire();
    await server.waitForRequests(1);
    await s.engine.close({ abort: true });
    // The engine stopped the attempt, not the receiver: that must not spend the firing's last attempt.
    expect(s.letters).toEqual([]);
    expect(s.engine.snapshot().deliveries?.map((d) => [d.firingId, d.status])).toEqual([[id, 'pending']]);
  });

  it('no secret (access token, whsec secret, named secret, Slack URL) reaches history, issues, letters or snapshots', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mla-dl-'));
    dirs.push(dir);
    const file = join(dir, 'dead.jsonl');
    server.otherwise((r) => (r.url.startsWith('/services/') ? reset : respond(401)));
    const s = setup({
      delivery: { deadLetter: { file } },
      save: { retryPolicy: { maxDeliveryAttempts: 2 } },
    });
    s.engine.save(
      OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }).do(
        SendNotification({ integration: 'slack', title: 't', message: '${run_id}' }),
      ),
      { name: 'to-slack', cooldownMs: 0, retryPolicy: { maxDeliveryAttempts: 2 } },
    );
    const firings = s.engine.ingest({
      id: 'secret-check',
      source: '/t',
      type: 'run.metrics',
      data: { entity: 'acme', project: 'vision', runId: 'r1', metrics: { m: 1 } },
    });
    expect(firings).toHaveLength(2);
    await settle(s.engine);
    const pendingSnapshot = s.engine.snapshot();
    expect(pendingSnapshot.deliveries?.map((d) => d.integration)).toEqual(['slack']);
    await advance(s, 10 * SECOND);
    await advance(s, 30 * SECOND);
    expect(s.letters.map((l) => l.integration).sort()).toEqual(['hook', 'slack']);
    const lines = await readLines(file, 2);
    // The receiver did get them (so the test would see them if they leaked).
    expect(
      server.requests.some((r) => r.body.includes(API_KEY) && header(r, 'authorization')?.includes(TOKEN)),
    ).toBe(true);
    const everything = JSON.stringify({
      history: s.engine.history(),
      records: s.records,
      issues: s.issues,
      letters: s.letters,
      lines,
      pendingSnapshot,
      snapshot: s.engine.snapshot(),
      messages: s.issues.map((i) => i.message),
    });
    for (const secret of [
      SECRET,
      SECRET.slice('whsec_'.length),
      TOKEN,
      API_KEY,
      `${server.origin}${SLACK_PATH}`,
      'slackTokenZq8v3XkWm1',
    ])
      expect(everything).not.toContain(secret);
  });
});

describe('Slack delivery to a real HTTP receiver', () => {
  it('posts text and blocks as JSON, unsigned, to the webhook URL', async () => {
    const s = setup({ integration: 'slack', notification: true });
    const id = s.fire();
    await settle(s.engine);
    expect(server.requests).toHaveLength(1);
    const r = server.requests[0] as RecordedRequest;
    expect(r.url).toBe(SLACK_PATH);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers.authorization).toBeUndefined();
    expect(r.headers['webhook-signature']).toBeUndefined();
    const body = JSON.parse(r.body) as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(body.text).toBe('⚠️ Metric m: r1 logged 1');
    expect(body.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '⚠️ Metric m', emoji: true },
    });
    expect(body.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'r1 logged 1' } });
    expect(body.blocks.at(-1)?.type).toBe('context');
    expect(only(s.engine, id).status).toBe('finished');
  });

  it('the per-webhook limit spaces messages at least 1 s apart in engine time', async () => {
    const s = setup({ integration: 'slack', notification: true });
    const ids = [s.fire(), s.fire(), s.fire()];
    await settle(s.engine);
    expect(server.requests).toHaveLength(1);
    await advance(s, SECOND - 1);
    expect(server.requests).toHaveLength(1);
    await advance(s, 1);
    expect(server.requests).toHaveLength(2);
    await advance(s, SECOND);
    expect(server.requests).toHaveLength(3);
    expect(ids.map((id) => only(s.engine, id).attempts.map((a) => a.time - s.t0))).toEqual([
      [0],
      [SECOND],
      [2 * SECOND],
    ]);
  });

  it("an automation rate limit with onLimit 'skip' records the firing over it as skipped", async () => {
    const s = setup({ save: { rateLimit: { perSecond: 1, burst: 1, onLimit: 'skip' } } });
    const [a, b, c] = [s.fire(), s.fire(), s.fire()];
    await settle(s.engine);
    expect(server.requests).toHaveLength(1);
    expect([a, b, c].map((id) => only(s.engine, id).status)).toEqual(['finished', 'skipped', 'skipped']);
    expect(only(s.engine, b as string).attempts).toEqual([]);
    expect(s.engine.history({ status: 'skipped' }).map((r) => r.firingId)).toEqual([c, b]);
    await advance(s, SECOND);
    const d = s.fire();
    await settle(s.engine);
    expect(only(s.engine, d).status).toBe('finished');
    expect(server.requests).toHaveLength(2);
    expect(s.letters).toEqual([]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** The file's lines once it has at least `n` (appends are asynchronous), or whatever it has after 2 s. */
async function readLines(file: string, n: number): Promise<string[]> {
  const deadline = performance.now() + 2_000;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const lines = text.split('\n').filter((l) => l !== '');
    if (lines.length >= n || performance.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 5));
  }
}
