// `serve` in cluster mode against a real nats-server (its own, so the cluster's layout is this file's): intake
// publishes to the log and a worker delivers, signed; a rejected event is never published; a resend is a
// duplicate; management pushes revisions with If-Match; one-engine routes point elsewhere; start-up failures
// are clear.
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  clusterStatus,
  createWorker,
  initCluster,
  isClusterError,
  publishEvents,
  readAutomations,
  type Worker,
} from '../../../src/cluster/index.js';
import { WebhookIntegration } from '../../../src/index.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';
import { clusterSkipReason, freePort, type NatsServer, startNatsServer } from '../../helpers/nats-server.js';
import { accuracyAbove, INTAKE_TOKEN, startTestService, type TestService } from '../../helpers/service.js';

const skip = clusterSkipReason();
const HOOK_SECRET = `whsec_${Buffer.alloc(32, 0x3c).toString('base64')}`;

let nats: NatsServer | undefined;
let service: TestService | undefined;
let receiver: TestServer | undefined;
let worker: Worker | undefined;

beforeAll(async () => {
  if (skip === undefined) nats = await startNatsServer();
}, 30_000);
afterEach(async () => {
  await worker?.close();
  await service?.stopAll();
  await receiver?.close();
  worker = undefined;
  service = undefined;
  receiver = undefined;
});
afterAll(async () => {
  await nats?.stop();
});

const caught = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

const metric = (step: number, accuracy: number, id = `m-${step}`) => ({
  specversion: '1.0',
  id,
  source: '/wandb/acme/vision',
  type: 'run.metrics',
  time: `2026-01-05T19:00:0${step}Z`,
  data: { entity: 'acme', project: 'vision', runId: 'r1', runName: 'sweep-7', step, metrics: { accuracy } },
});

const automation = {
  id: 'accuracy-high',
  name: 'accuracy-high',
  cooldownMs: 0,
  event: accuracyAbove(0.9),
  action: {
    type: 'SendWebhook',
    integration: 'hook',
    payload: { run: '${run_name}', value: '${metric_value}' },
  },
};

const post = (path: string, body: unknown, headers: Record<string, string>, token?: string) =>
  (service as TestService).call(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers,
    ...(token !== undefined && { token }),
  });
const ce = { 'content-type': 'application/cloudevents+json' };
const batch = { 'content-type': 'application/cloudevents-batch+json' };

/** The event log's last sequence (one stream over every partition): it moves by one per message stored. */
async function logged(url: string): Promise<number> {
  return Math.max(...(await clusterStatus({ nats: url })).byPartition.map((p) => p.lastSeq));
}

describe.skipIf(skip !== undefined)('serve in cluster mode', () => {
  it('fails to start, clearly, against an unreachable server or an uninitialised cluster', async () => {
    const port = await freePort();
    const unreachable = await caught(startTestService({ cluster: { nats: `nats://127.0.0.1:${port}` } }));
    expect(isClusterError(unreachable) && unreachable.reason).toBe('unreachable');
    expect((unreachable as Error).message).toContain(`127.0.0.1:${port}`);
    const fresh = await caught(startTestService({ cluster: { nats: nats?.url } }));
    expect(isClusterError(fresh) && fresh.reason).toBe('not_initialised');
    expect((fresh as Error).message).toContain('cluster init');
  });

  it('refuses a bad cluster setting, naming the field', async () => {
    const bad = await caught(startTestService({ cluster: { nats: '', extra: 1 } }));
    expect((bad as { issues: { path: unknown[] }[] }).issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([['cluster', 'nats'], ['cluster']]),
    );
  });

  it('publishes events, a worker delivers them signed; rejected never published; a resend is a duplicate', async () => {
    const url = (nats as NatsServer).url;
    await initCluster({ nats: url, partitions: 4, leaseTtlMs: 1500 });
    receiver = await startServer();
    service = await startTestService({ cluster: { nats: url } });
    expect(service.engine).toBeUndefined();
    expect((await service.call('/readyz', { token: null })).status).toBe(200);

    // Management: create pushes revision 1, read back from the cluster.
    const created = await post('/automations', automation, { 'content-type': 'application/json' });
    expect(created.status).toBe(201);
    const etag = created.headers.get('etag') as string;
    expect((await readAutomations({ nats: url })).revision).toBe(1);
    const got = await service.call('/automations/accuracy-high');
    expect(got.headers.get('etag')).toBe(etag);

    worker = await createWorker({
      nats: url,
      settleMs: 0,
      deliver: true,
      integrations: { hook: WebhookIntegration({ url: `${receiver.origin}/hook`, secret: HOOK_SECRET }) },
    });

    const before = await logged(url);
    const one = await post('/events', metric(1, 0.95), ce, INTAKE_TOKEN);
    expect(one.status).toBe(202);
    expect(await one.json()).toEqual({ status: 'accepted', firings: [], suppressed: 0 });
    const many = await post('/events', [metric(2, 0.5), metric(3, 0.97)], batch, INTAKE_TOKEN);
    expect(many.status).toBe(202);
    expect(((await many.json()) as { results: { status: string }[] }).results.map((r) => r.status)).toEqual([
      'accepted',
      'accepted',
    ]);
    expect(await logged(url)).toBe(before + 3);

    // Rejected: a 400 with its issues, and nothing reaches the log.
    const bad = await post('/events', { ...metric(4, 0.99), specversion: '0.3' }, ce, INTAKE_TOKEN);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
    expect(await logged(url)).toBe(before + 3);

    // A resend (its time given again or not) is a duplicate, and the log keeps one copy.
    const again = await post('/events', metric(1, 0.95), ce, INTAKE_TOKEN);
    expect(again.status).toBe(202);
    expect(((await again.json()) as { status: string }).status).toBe('duplicate');
    expect(await logged(url)).toBe(before + 3);
    // The same event through publishEvents is the same message to the server.
    expect((await publishEvents({ nats: url, events: [metric(3, 0.97)], batch: 1 })).duplicateMessages).toBe(
      1,
    );

    // The worker's deliveries: 0.95 and 0.97, each signed (Standard Webhooks), each once.
    await receiver.waitForRequests(2, 30_000);
    const wh = new Webhook(HOOK_SECRET);
    const values = receiver.requests.map((r) => {
      const h = (n: string) => String(r.headers[n] ?? '');
      const body = wh.verify(r.body, {
        'webhook-id': h('webhook-id'),
        'webhook-timestamp': h('webhook-timestamp'),
        'webhook-signature': h('webhook-signature'),
      }) as Record<string, string>;
      return body['value'];
    });
    expect(values.sort()).toEqual(['0.95', '0.97']);

    // The firings, from the cluster's log; the one-engine routes say what to use instead.
    const firings = (await (await service.call('/firings')).json()) as { items: { automationId: string }[] };
    expect(firings.items.map((f) => f.automationId)).toEqual(['accuracy-high', 'accuracy-high']);
    for (const path of ['/history', '/dead-letters', '/stats']) {
      const r = await service.call(path);
      expect(r.status).toBe(501);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(((await r.json()) as { detail: string }).detail).toContain('/firings');
    }
    const status = (await (await service.call('/cluster')).json()) as {
      partitions: number;
      revision: number;
    };
    expect(status).toMatchObject({ partitions: 4, revision: 1 });
    const metrics = await (await service.call('/metrics')).text();
    expect(metrics).toContain('ml_automations_events_total{outcome="duplicate"} 1');
  }, 60_000);

  it('management: PATCH with If-Match, 412 when stale, one revision per change, none for no change', async () => {
    const url = (nats as NatsServer).url;
    service = await startTestService({ cluster: { nats: url } });
    const start = (await readAutomations({ nats: url })).revision;
    const read = await service.call('/automations/accuracy-high');
    const etag = read.headers.get('etag') as string;
    const patch = (body: unknown, ifMatch: string) =>
      (service as TestService).call('/automations/accuracy-high', {
        method: 'PATCH',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/merge-patch+json', 'if-match': ifMatch },
      });
    const changed = await patch({ description: 'from the test' }, etag);
    expect(changed.status).toBe(200);
    const newTag = changed.headers.get('etag') as string;
    expect(newTag).not.toBe(etag);
    expect((await readAutomations({ nats: url })).revision).toBe(start + 1);
    // What was answered is what the cluster stores.
    const after = await service.call('/automations/accuracy-high');
    expect(after.headers.get('etag')).toBe(newTag);
    expect(await after.json()).toEqual(await changed.json());

    const stale = await patch({ description: 'lost update' }, etag);
    expect(stale.status).toBe(412);
    expect((await readAutomations({ nats: url })).revision).toBe(start + 1);

    // Enabling an enabled automation changes nothing: no new revision.
    const enable = await service.call('/automations/accuracy-high/enable', {
      method: 'POST',
      headers: { 'if-match': newTag },
    });
    expect(enable.status).toBe(200);
    expect((await readAutomations({ nats: url })).revision).toBe(start + 1);

    // A change refused by validation pushes nothing.
    const invalid = await patch({ cooldownMs: -5 }, newTag);
    expect(invalid.status).toBe(400);
    expect((await readAutomations({ nats: url })).revision).toBe(start + 1);

    // Two services change it at once with the same ETag: the cluster's revision lets one through, the other 412.
    const other = await startTestService({ cluster: { nats: url } });
    try {
      const tag = (await service.call('/automations/accuracy-high')).headers.get('etag') as string;
      const racing = await Promise.all(
        [service, other].map((s, i) =>
          s.call('/automations/accuracy-high', {
            method: 'PATCH',
            body: JSON.stringify({ description: `racer ${i}` }),
            headers: { 'content-type': 'application/merge-patch+json', 'if-match': tag },
          }),
        ),
      );
      expect(racing.map((r) => r.status).sort()).toEqual([200, 412]);
      expect((await readAutomations({ nats: url })).revision).toBe(start + 2);
    } finally {
      await other.stopAll();
    }

    const removed = await service.call('/automations/accuracy-high', { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect((await readAutomations({ nats: url })).automations).toEqual([]);
  }, 60_000);

  it('a local service answers the cluster routes with a problem pointing at its own', async () => {
    service = await startTestService();
    for (const [path, instead] of [
      ['/firings', '/history'],
      ['/cluster', '/stats'],
    ] as const) {
      const r = await service.call(path);
      expect(r.status).toBe(501);
      expect(((await r.json()) as { detail: string }).detail).toContain(instead);
    }
  });

  it('/readyz follows the NATS connection', async () => {
    const own = await startNatsServer();
    try {
      await initCluster({ nats: own.url, partitions: 2 });
      service = await startTestService({ cluster: { nats: own.url } });
      expect((await service.call('/readyz', { token: null })).status).toBe(200);
      await own.kill();
      let status = 200;
      for (let i = 0; i < 100 && status === 200; i++) {
        status = (await service.call('/readyz', { token: null })).status;
        if (status === 200) await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe(503);
    } finally {
      await own.stop();
    }
  }, 30_000);
});
