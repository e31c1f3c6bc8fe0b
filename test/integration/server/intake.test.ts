import { afterEach, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  accuracyAbove,
  INTAKE_TOKEN,
  READER_TOKEN,
  startTestService,
  type TestService,
} from '../../helpers/service.js';

let service: TestService | undefined;
afterEach(async () => {
  await service?.stopAll();
  service = undefined;
});

const metric = (id: string, step: number, accuracy: number) => ({
  specversion: '1.0',
  id,
  source: '/wandb/acme/vision',
  type: 'run.metrics',
  time: '2026-01-01T00:00:00Z',
  data: { entity: 'acme', project: 'vision', runId: 'r1', step, metrics: { accuracy } },
});

const post = (
  s: TestService,
  path: string,
  body: unknown,
  type = 'application/cloudevents+json',
  token: string | null = INTAKE_TOKEN,
) =>
  s.call(path, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': type },
    token,
  });

const automation = {
  name: 'accuracy-high',
  event: accuracyAbove(0.9),
  action: { type: 'DoNothing' },
  cooldownMs: 0,
};

describe('POST /events', () => {
  it('answers 202 accepted with the firings, then duplicate for the same source and id', async () => {
    service = await startTestService();
    expect(
      (
        await service.call('/automations', {
          method: 'POST',
          body: JSON.stringify(automation),
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(201);
    const first = await post(service, '/events', metric('e1', 1, 0.95));
    expect(first.status).toBe(202);
    const body = (await first.json()) as { status: string; firings: string[] };
    expect(body.status).toBe('accepted');
    expect(body.firings).toHaveLength(1);
    const again = await post(service, '/events', metric('e1', 1, 0.95));
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ status: 'duplicate', firings: [], suppressed: 0 });
  });

  it('reads binary mode (ce- headers) and batches', async () => {
    service = await startTestService();
    const e = metric('b1', 1, 0.5);
    const binary = await service.call('/events', {
      method: 'POST',
      token: INTAKE_TOKEN,
      body: JSON.stringify(e.data),
      headers: {
        'content-type': 'application/json',
        'ce-specversion': '1.0',
        'ce-id': 'b1',
        'ce-source': e.source,
        'ce-type': e.type,
        'ce-time': e.time,
      },
    });
    expect(binary.status).toBe(202);
    const batch = await post(
      service,
      '/events',
      [metric('b2', 2, 0.5), metric('b1', 1, 0.5)],
      'application/cloudevents-batch+json',
    );
    expect(batch.status).toBe(202);
    expect(((await batch.json()) as { results: { status: string }[] }).results.map((r) => r.status)).toEqual([
      'accepted',
      'duplicate',
    ]);
  });

  it('answers 400 with the issues for a rejected event, naming the field', async () => {
    service = await startTestService();
    const bad = metric('x1', 1, 0.5) as { data: Record<string, unknown> };
    bad.data = { ...bad.data, step: 'one' };
    const res = await post(service, '/events', bad);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { type: string; status: number; issues: { path: unknown[] }[] };
    expect(problem.status).toBe(400);
    expect(problem.issues[0]?.path).toEqual(['data', 'step']);
    const notJson = await post(service, '/events', '{not json');
    expect(notJson.status).toBe(400);
    const stats = (await (await service.call('/stats', { token: READER_TOKEN })).json()) as {
      accepted: number;
    };
    expect(stats.accepted).toBe(0);
  });

  it('refuses without a token (401), with a wrong token (401) and with a token lacking the role (403)', async () => {
    service = await startTestService();
    expect((await post(service, '/events', metric('a', 1, 1), undefined, null)).status).toBe(401);
    const wrong = await post(service, '/events', metric('a', 1, 1), undefined, 'nope');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await post(service, '/events', metric('a', 1, 1), undefined, READER_TOKEN)).status).toBe(403);
    expect((await post(service, '/events', metric('a', 1, 1), undefined, ADMIN_TOKEN)).status).toBe(202);
    expect((await service.call('/healthz', { token: null })).status).toBe(200);
    expect((await service.call('/readyz', { token: null })).status).toBe(200);
    expect((await service.call('/metrics', { token: null })).status).toBe(401);
  });
});
