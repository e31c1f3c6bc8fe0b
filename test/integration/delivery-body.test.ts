import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEngine,
  type DeadLetter,
  type Engine,
  OnRunMetric,
  RunEvent,
  type SaveOptions,
  SendWebhook,
  WebhookIntegration,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { flood, respond, startServer, type TestServer, trickle } from '../helpers/http-server.js';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const TOKEN = 'tok-body-5f0c2a9e7d';
/** The client keeps at most this much of a body for history. */
const PREFIX = 4096;
/** Socket buffers on loopback hold a few MiB at most: a client that stopped reading lets no more through. */
const STOPPED = 16 << 20;

let server: TestServer;
let engine: Engine | undefined;

beforeEach(async () => {
  server = await startServer();
});

afterEach(async () => {
  await engine?.close({ abort: true });
  engine = undefined;
  await server.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Real time, bounded: resolves true if `done` came true within `ms`. */
async function within(ms: number, done: () => boolean): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

function setup(save: SaveOptions = {}) {
  const clock = new VirtualClock(Math.floor(Date.now() / 1000) * 1000);
  const e = createEngine({
    clock,
    integrations: {
      hook: WebhookIntegration({ url: `${server.origin}/hook`, accessToken: TOKEN }),
    },
    delivery: { random: () => 0.5 },
  });
  engine = e;
  e.save(
    OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }).do(
      SendWebhook({ integration: 'hook' }),
    ),
    { name: 'a', cooldownMs: 0, ...save },
  );
  const letters: DeadLetter[] = [];
  e.on('dead-lettered', (l) => letters.push(l));
  let n = 0;
  const fire = (): void => {
    n++;
    e.ingest({
      id: `e${n}`,
      source: '/body',
      type: 'run.metrics',
      data: { entity: 'acme', project: 'vision', runId: `r${n}`, metrics: { m: n } },
    });
  };
  /** Attempts in flight settle (bounded in real time, so a failure shows as an assertion, not a hang). */
  const settle = async (): Promise<void> => {
    await Promise.race([e.idle(), sleep(5_000)]);
    await flush();
  };
  /** Move virtual time on, letting each timer's attempt settle before the next. */
  const advance = async (ms: number): Promise<void> => {
    const target = clock.now() + ms;
    for (let guard = 0; guard < 100; guard++) {
      const next = clock.nextTimer;
      if (next === undefined || next > target) break;
      clock.set(next);
      await settle();
    }
    clock.set(target);
    await settle();
  };
  return { engine: e, clock, letters, fire, settle, advance };
}

describe('delivery decides on the status line and headers, not the body', () => {
  it('200 with a body that trickles forever: each firing delivered once, on its first attempt, never retried', async () => {
    server.otherwise(trickle(200, 'still sending\n', 20));
    const t = setup();
    t.fire();
    t.fire();
    await server.waitForRequests(2);
    await t.settle();
    // Past the 30 s attempt timeout and every retry there could be.
    await t.advance(24 * HOUR);
    expect(server.requests).toHaveLength(2);
    expect(t.letters).toEqual([]);
    const history = t.engine.history();
    expect(history.map((r) => r.status)).toEqual(['finished', 'finished']);
    for (const r of history) {
      expect(r.attempts).toHaveLength(1);
      expect(r.attempts[0]).toMatchObject({ outcome: 'Delivered', status: 200 });
      expect(r.attempts[0]?.body?.startsWith('still sending\n')).toBe(true);
    }
    // The client stopped reading: both connections were closed, though the server never ended its bodies.
    expect(await within(5_000, () => server.streamed.every((s) => s.closed))).toBe(true);
  });

  it('with one attempt allowed, an accepted firing behind a slow body is delivered, not dead-lettered', async () => {
    server.otherwise(trickle(200));
    const t = setup({ retryPolicy: { maxDeliveryAttempts: 1 } });
    t.fire();
    await server.waitForRequests(1);
    await t.settle();
    await t.advance(HOUR);
    expect(t.letters).toEqual([]);
    expect(t.engine.history()[0]).toMatchObject({ status: 'finished', attempts: [{ outcome: 'Delivered' }] });
  });

  it('an endless body: the client reads a capped prefix and closes the connection', async () => {
    server.otherwise(flood(200));
    const t = setup();
    t.fire();
    await server.waitForRequests(1);
    await t.settle();
    const [record] = t.engine.history();
    expect(record).toMatchObject({ status: 'finished', attempts: [{ outcome: 'Delivered', status: 200 }] });
    expect(record?.attempts[0]?.body?.length).toBeGreaterThan(0);
    expect(record?.attempts[0]?.body?.length).toBeLessThanOrEqual(PREFIX);
    expect(await within(5_000, () => server.streamed[0]?.closed === true)).toBe(true);
    expect(server.streamed[0]?.bytesWritten).toBeLessThan(STOPPED);
  });

  it('a 503 with a huge body is retried as before (after at least 30 s), and its body is not read whole', async () => {
    server.script(flood(503));
    server.otherwise(respond(200));
    const t = setup();
    t.fire();
    await server.waitForRequests(1);
    await t.settle();
    expect(t.engine.history()[0]).toMatchObject({
      status: 'pending',
      attempts: [{ outcome: 'ServiceUnavailable', status: 503 }],
    });
    await t.advance(29 * SECOND);
    expect(server.requests).toHaveLength(1);
    await t.advance(SECOND);
    await server.waitForRequests(2);
    await t.settle();
    expect(t.engine.history()[0]).toMatchObject({
      status: 'finished',
      attempts: [{ outcome: 'ServiceUnavailable' }, { outcome: 'Delivered', status: 200 }],
    });
    expect(await within(5_000, () => server.streamed[0]?.closed === true)).toBe(true);
    expect(server.streamed[0]?.bytesWritten).toBeLessThan(STOPPED);
  });

  it('a body that echoes a secret is kept redacted', async () => {
    server.otherwise((request) => ({
      kind: 'respond',
      status: 500,
      body: `refused ${String(request.headers.authorization)}`,
    }));
    const t = setup({ retryPolicy: { maxDeliveryAttempts: 1 } });
    t.fire();
    await server.waitForRequests(1);
    await t.settle();
    expect(t.engine.history()[0]?.attempts[0]?.body).toBe('refused Bearer [redacted]');
    expect(JSON.stringify(t.letters)).not.toContain(TOKEN);
  });
});
