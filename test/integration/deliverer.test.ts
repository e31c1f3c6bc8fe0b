import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ActionDefinition,
  createDeliverer,
  type DeadLetter,
  type Deliverer,
  type DelivererOptions,
  type DeliveryRecord,
  DoNothing,
  type Firing,
  type Issue,
  isDefinitionError,
  isEngineClosedError,
  MemoryLedger,
  SendWebhook,
  verifyWebhook,
  WebhookIntegration,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { respond, startServer, type TestServer } from '../helpers/http-server.js';

const SECOND = 1000;
const SECRET = `whsec_${Buffer.alloc(32, 0x5a).toString('base64')}`;

let server: TestServer;
let deliverers: Deliverer[] = [];
let dirs: string[] = [];

beforeEach(async () => {
  server = await startServer();
});

afterEach(async () => {
  for (const d of deliverers) await d.close({ abort: true });
  deliverers = [];
  await server.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  dirs = [];
});

/** A firing as an engine (or a log of firings) hands it over. */
function firing(
  n: number,
  time: number,
  action: ActionDefinition = SendWebhook({ integration: 'hook' }),
): Firing {
  return {
    id: `fir_${n.toString(16).padStart(32, '0')}`,
    automationId: 'auto-1',
    automationName: 'loss-alert',
    event: { id: `e${n}`, source: '/train', type: 'run.metrics', time, data: { runId: `r${n}` } },
    runId: `r${n}`,
    time,
    action,
  };
}

/** A deliverer on virtual time (from the current whole second, so signatures verify) to the test server. */
function setup(options: Partial<DelivererOptions> = {}) {
  const t0 = Math.floor(Date.now() / 1000) * 1000;
  const clock = new VirtualClock(t0);
  const records: DeliveryRecord[] = [];
  const delivered: DeliveryRecord[] = [];
  const letters: DeadLetter[] = [];
  const issues: Issue[] = [];
  const deliverer = createDeliverer({
    clock,
    integrations: { hook: WebhookIntegration({ url: `${server.origin}/hook`, secret: SECRET }) },
    random: () => 0.5,
    onRecord: (r) => records.push(r),
    onDelivered: (r) => delivered.push(r),
    onDeadLetter: (l) => letters.push(l),
    onIssue: (i) => issues.push(i),
    ...options,
  });
  deliverers.push(deliverer);
  return { deliverer, clock, t0, records, delivered, letters, issues };
}

/** Let attempts on real sockets settle: idle, then a macrotask turn, until nothing is in flight. */
async function settle(deliverer: Deliverer): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await deliverer.idle();
    await new Promise((r) => setImmediate(r));
  }
  expect(deliverer.inFlight).toBe(0);
}

describe('createDeliverer on its own, against a real HTTP receiver', () => {
  it('delivers a firing, signed, retries a 503 after its minimum wait, and records every step', async () => {
    server.script(respond(503));
    const s = setup();
    const f = firing(1, s.t0);
    s.deliverer.deliver(f);
    await server.waitForRequests(1);
    await settle(s.deliverer);
    const [pending] = s.deliverer.history();
    // 10 s ±10 % at jitter 0.5 is 10 s; a 503 asks for at least 30 s.
    expect(pending).toMatchObject({ status: 'pending', dueTime: s.t0 + 30 * SECOND });
    expect(pending?.attempts.map((a) => [a.outcome, a.status])).toEqual([['ServiceUnavailable', 503]]);
    expect(s.deliverer.pending().map((r) => r.firingId)).toEqual([f.id]);

    s.clock.advance(30 * SECOND);
    await server.waitForRequests(2);
    await settle(s.deliverer);
    expect(s.deliverer.pending()).toEqual([]);
    expect(s.delivered.map((r) => [r.firingId, r.status, r.attempts.length])).toEqual([
      [f.id, 'finished', 2],
    ]);
    expect(s.records.map((r) => r.status)).toEqual(['pending', 'pending', 'finished']);
    for (const [i, request] of server.requests.entries()) {
      expect(request.headers['webhook-id']).toBe(f.id);
      expect(request.headers['webhook-timestamp']).toBe(String((s.t0 + i * 30 * SECOND) / 1000));
      const nowSec = Number(request.headers['webhook-timestamp']);
      expect(() => verifyWebhook(SECRET, request.headers, request.body, { nowSec })).not.toThrow();
    }
    expect(s.issues).toEqual([]);
  });

  it('dead-letters a 400 at once: the callback, an issue, and a JSONL line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mla-deliverer-'));
    dirs.push(dir);
    const file = join(dir, 'dead.jsonl');
    server.otherwise(respond(400));
    const s = setup({ deadLetter: { file } });
    const f = firing(2, s.t0);
    s.deliverer.deliver(f);
    await server.waitForRequests(1);
    await settle(s.deliverer);
    expect(s.letters).toMatchObject([
      { deadLetterReason: 'NonRetriableStatus', deliveryAttempts: 1, lastHttpStatusCode: 400 },
    ]);
    expect(s.issues.map((i) => i.code)).toEqual(['dead_lettered']);
    expect(s.deliverer.history({ status: 'failed' }).map((r) => r.firingId)).toEqual([f.id]);
    await s.deliverer.close();
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as DeadLetter).firing.id)).toEqual([f.id]);
  });

  it('close() waits for the dead-letter sink: a letter is written before close resolves', async () => {
    server.otherwise(respond(400));
    const written: string[] = [];
    const s = setup({
      deadLetter: async (letter) => {
        // A slow sink (a remote store, a busy disk): close must not resolve before it is done.
        await new Promise((r) => setTimeout(r, 100));
        written.push(letter.firing.id);
      },
    });
    const f = firing(6, s.t0);
    s.deliverer.deliver(f);
    await server.waitForRequests(1);
    await settle(s.deliverer);
    await s.deliverer.close();
    expect(written).toEqual([f.id]);
  });

  it("reads each automation's retry policy through the `automation` option", async () => {
    server.otherwise(respond(500));
    const s = setup({ automation: () => ({ retryPolicy: { maxDeliveryAttempts: 1 } }) });
    s.deliverer.deliver(firing(3, s.t0));
    await server.waitForRequests(1);
    await settle(s.deliverer);
    expect(s.letters.map((l) => [l.deadLetterReason, l.deliveryAttempts])).toEqual([
      ['MaxDeliveryAttemptsExceeded', 1],
    ]);
  });

  it('a pending delivery goes on in a new deliverer from pending(), with its attempts and due time', async () => {
    server.script(respond(500));
    const first = setup();
    const f = firing(4, first.t0);
    first.deliverer.deliver(f);
    await server.waitForRequests(1);
    await settle(first.deliverer);
    await first.deliverer.close();
    expect(first.deliverer.closed).toBe(true);
    let closedError: unknown;
    try {
      first.deliverer.deliver(firing(5, first.t0));
    } catch (e) {
      closedError = e;
    }
    expect(isEngineClosedError(closedError)).toBe(true);
    const saved = JSON.parse(JSON.stringify(first.deliverer.pending())) as DeliveryRecord[];
    expect(saved.map((r) => [r.firingId, r.attempts.length, r.dueTime])).toEqual([
      [f.id, 1, first.t0 + 10 * SECOND],
    ]);

    const second = setup({ clock: first.clock });
    second.deliverer.restore(saved);
    expect(second.deliverer.pending().map((r) => r.firingId)).toEqual([f.id]);
    first.clock.advance(10 * SECOND);
    await server.waitForRequests(2);
    await settle(second.deliverer);
    expect(second.delivered.map((r) => [r.firingId, r.attempts.map((a) => a.outcome)])).toEqual([
      [f.id, ['GenericError', 'Delivered']],
    ]);
  });

  it('DoNothing is finished with no attempt; an integration it does not know is dead-lettered', async () => {
    const s = setup();
    s.deliverer.deliver(firing(6, s.t0, DoNothing()));
    s.deliverer.deliver(firing(7, s.t0, SendWebhook({ integration: 'nowhere' })));
    await settle(s.deliverer);
    expect(s.deliverer.history().map((r) => [r.status, r.attempts.length, r.deadLetterReason])).toEqual([
      ['failed', 0, 'UnknownIntegration'],
      ['finished', 0, undefined],
    ]);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses bad options, firings, queries and records with DefinitionErrors naming the field', async () => {
    const refused = (f: () => unknown, path: readonly (string | number)[]): void => {
      let error: unknown;
      try {
        f();
      } catch (e) {
        error = e;
      }
      expect(isDefinitionError(error)).toBe(true);
      expect((error as { issues: { path: unknown }[] }).issues.map((i) => i.path)).toContainEqual(path);
    };
    refused(() => createDeliverer({ concurrency: 0 }), ['concurrency']);
    refused(() => createDeliverer({ ledger: new Map() as never }), ['ledger']);
    refused(() => createDeliverer({ historyLimit: 5, ledger: new MemoryLedger() }), ['historyLimit']);
    refused(() => new MemoryLedger({ historyLimit: -1 }), ['historyLimit']);
    refused(
      () =>
        createDeliverer({
          integrations: { hook: WebhookIntegration({ url: `${server.origin}/h` }) },
          allowHosts: ['x.io'],
        }),
      ['integrations', 'hook', 'url'],
    );
    refused(
      () => createDeliverer({ integrations: { hook: 'https://hooks.example/secret' as never } }),
      ['integrations', 'hook'],
    );
    const { deliverer } = setup();
    refused(() => deliverer.deliver({ id: 'x' } as never), ['automationId']);
    refused(() => deliverer.history({ limit: 0 }), ['limit']);
    refused(() => deliverer.restore([{ firingId: '' }] as never), [0, 'firingId']);
    await expect(deliverer.close({ abort: 'yes' } as never)).rejects.toMatchObject({
      name: 'DefinitionError',
      issues: [expect.objectContaining({ path: ['abort'], value: 'yes' })],
    });
  });
});
