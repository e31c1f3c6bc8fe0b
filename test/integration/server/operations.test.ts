import { connect } from 'node:net';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { isDefinitionError } from '../../../src/index.js';
import { parseServerConfig } from '../../../src/server/server-config.js';
import {
  ADMIN_TOKEN,
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

const event = (id: string, state = 'failed') => ({
  specversion: '1.0',
  id,
  source: 's',
  type: 'run.state',
  time: '2026-01-01T00:00:00Z',
  data: { entity: 'acme', project: 'vision', runId: id, state },
});
const postEvent = (s: TestService, body: string, token: string | null = INTAKE_TOKEN) =>
  s.call('/events', {
    method: 'POST',
    body,
    token,
    headers: { 'content-type': 'application/cloudevents+json' },
  });

/** A raw HTTP request: the headers, and as much of the body as given; resolves with what the server answered. */
function rawRequest(
  url: string,
  head: string,
  body = '',
  keepOpen = false,
): { answer: Promise<string>; close(): void } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let text = '';
  socket.on('data', (d) => {
    text += String(d);
  });
  socket.write(`${head}\r\n\r\n${body}`);
  const answer = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
    if (!keepOpen) socket.on('data', () => text.includes('\r\n\r\n') && resolve(text));
  });
  return { answer, close: () => socket.destroy() };
}

/** The head of a raw POST /events with the intake token and the given framing headers. */
function postHead(url: string, ...framing: string[]): string {
  const { hostname, port } = new URL(url);
  return [
    `POST /events HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    `Authorization: Bearer ${INTAKE_TOKEN}`,
    'Content-Type: application/cloudevents+json',
    ...framing,
  ].join('\r\n');
}

describe('operations', () => {
  it('/metrics parses as Prometheus text: events by outcome, firings by automation, partitions, HTTP counts', async () => {
    service = await startTestService({ partitions: 4 });
    const created = await service.call('/automations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'f',
        event: { type: 'OnRunState', scope: 'acme', states: ['failed'] },
        action: { type: 'DoNothing' },
      }),
    });
    const id = ((await created.json()) as { id: string }).id;
    await postEvent(service, JSON.stringify(event('a')));
    await postEvent(service, JSON.stringify(event('a')));
    await postEvent(service, JSON.stringify({ ...event('b'), data: {} }));
    const res = await service.call('/metrics', { token: READER_TOKEN });
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const families = new Map(parsePrometheusTextFormat(await res.text()).map((f) => [f.name, f]));
    const value = (name: string, labels: Record<string, string> = {}) =>
      Number(
        families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
          ?.value,
      );
    expect(families.get('ml_automations_events_total')?.type).toBe('COUNTER');
    expect(value('ml_automations_events_total', { outcome: 'accepted' })).toBe(1);
    expect(value('ml_automations_events_total', { outcome: 'duplicate' })).toBe(1);
    expect(value('ml_automations_events_total', { outcome: 'rejected' })).toBe(1);
    expect(value('ml_automations_firings_total', { automation: id })).toBe(1);
    expect(value('ml_automations_partitions')).toBe(4);
    expect(value('ml_automations_delivery_queue_depth')).toBeGreaterThanOrEqual(0);
    expect(families.get('ml_automations_delivery_latency_seconds')?.type).toBe('HISTOGRAM');
    expect(value('ml_automations_http_requests_total', { route: '/events', status: '202' })).toBe(2);
  });

  it('/openapi.json is generated: every route, the automation schema, problem details', async () => {
    service = await startTestService();
    const doc = (await (await service.call('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/events',
        '/eventgrid',
        '/mlflow',
        '/automations',
        '/automations/{id}',
        '/metrics',
        '/healthz',
        '/firings',
        '/cluster',
      ]),
    );
    expect(Object.keys(doc.components.schemas['Automation']?.properties ?? {})).toEqual(
      expect.arrayContaining(['event', 'action', 'name']),
    );
    expect(Object.keys(doc.components.schemas['Problem']?.properties ?? {})).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'issues']),
    );
  });

  it('413 over the body limit, before the body is read (by Content-Length) and while reading (chunked)', async () => {
    service = await startTestService({ limits: { bodyBytes: 2048 } });
    const big = JSON.stringify({ ...event('big'), data: { ...event('big').data, pad: 'x'.repeat(5000) } });
    const res = await postEvent(service, big);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const head = postHead(service.url, 'Transfer-Encoding: chunked', 'Connection: close');
    const chunked = rawRequest(
      service.url,
      head,
      `${(5000).toString(16)}\r\n${'x'.repeat(5000)}\r\n0\r\n\r\n`,
    );
    expect(await chunked.answer).toMatch(/^HTTP\/1\.1 413/);
    chunked.close();
    expect(((await (await service.call('/stats')).json()) as { received: number }).received).toBe(0);
  });

  it('429 when intake is saturated, with Retry-After; health still answers', async () => {
    service = await startTestService({ limits: { inFlight: 1 } });
    // A request whose body never comes holds the one place.
    const head = postHead(service.url, 'Content-Length: 100');
    const held = rawRequest(service.url, head, '', true);
    let res: Response | undefined;
    for (let i = 0; i < 50 && res?.status !== 429; i++) {
      res = await postEvent(service, JSON.stringify(event(`s${i}`)));
      if (res.status !== 429) await new Promise((r) => setTimeout(r, 20));
    }
    expect(res?.status).toBe(429);
    expect(res?.headers.get('retry-after')).toBe('1');
    expect((await service.call('/healthz', { token: null })).status).toBe(200);
    held.close();
  });

  it('per-token rate: over the burst is 429, other tokens unaffected', async () => {
    service = await startTestService({ limits: { tokenRate: 0.001, tokenBurst: 2 } });
    expect((await postEvent(service, JSON.stringify(event('r1')))).status).toBe(202);
    expect((await postEvent(service, JSON.stringify(event('r2')))).status).toBe(202);
    const over = await postEvent(service, JSON.stringify(event('r3')));
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(1);
    expect((await postEvent(service, JSON.stringify(event('r3')), ADMIN_TOKEN)).status).toBe(202);
  });

  it('a slow request (its body never finishes) is answered 408 and closed', async () => {
    service = await startTestService({ limits: { requestTimeoutMs: 300 } });
    const head = postHead(service.url, 'Content-Length: 100');
    const slow = rawRequest(service.url, head, '{"id":', true);
    expect(await slow.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(((await (await service.call('/stats')).json()) as { received: number }).received).toBe(0);
  });

  it('secrets are never logged nor echoed: tokens (right and wrong), webhook and MLflow secrets', async () => {
    const wrongToken = 'guess-3b8e1f0a9c7d';
    const hookSecret = `whsec_${Buffer.alloc(32, 0x21).toString('base64')}`;
    const mlflowSecret = 'mlflow-secret-never-logged-77';
    service = await startTestService(
      {
        integrations: {
          hook: {
            type: 'WebhookIntegration',
            url: 'http://127.0.0.1:9/hook',
            secret: { env: 'HOOK_SECRET' },
          },
        },
        mlflow: { secret: { env: 'MLFLOW_SECRET' } },
      },
      { HOOK_SECRET: hookSecret, MLFLOW_SECRET: mlflowSecret },
    );
    const answers: string[] = [];
    const keep = async (r: Promise<Response>) =>
      answers.push(JSON.stringify([...(await r).headers]) + (await (await r).text()));
    await keep(postEvent(service, JSON.stringify(event('a')), wrongToken));
    await keep(postEvent(service, JSON.stringify(event('a'))));
    await keep(
      service.call('/mlflow', {
        method: 'POST',
        token: null,
        body: '{}',
        headers: { 'x-mlflow-signature': 'v1,AAAA', 'x-mlflow-timestamp': '1', 'x-mlflow-delivery-id': 'd' },
      }),
    );
    await keep(
      service.call('/automations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'h',
          event: { type: 'OnRunState', scope: 'acme', states: ['failed'] },
          action: { type: 'SendWebhook', integration: 'hook' },
        }),
      }),
    );
    await keep(service.call('/automations/export'));
    await keep(service.call('/openapi.json'));
    const everything = `${service.logs.join('')}\n${answers.join('\n')}`;
    expect(service.logs.length).toBeGreaterThan(3);
    for (const secret of [ADMIN_TOKEN, INTAKE_TOKEN, READER_TOKEN, wrongToken, hookSecret, mlflowSecret])
      expect(everything).not.toContain(secret);
  });
});

describe('configuration', () => {
  it('errors name the field; tokens come only from the environment or a file', () => {
    const issuesOf = (input: unknown) => {
      try {
        parseServerConfig(input);
        return [];
      } catch (error) {
        if (!isDefinitionError(error)) throw error;
        return error.issues.map((i) => `${i.path.join('.')}:${i.code}`);
      }
    };
    expect(issuesOf({ port: 'x' })).toEqual(['port:invalid_type']);
    expect(issuesOf({ limits: { bodyBytes: 1 } })).toEqual(['limits.bodyBytes:too_small']);
    expect(issuesOf({ prot: 1 })).toEqual([':unrecognized_keys']);
    expect(issuesOf({ tokens: [{ principal: 'x', token: 'inline-secret' }] })).toEqual([
      'tokens.0.token:invalid_union',
    ]);
    expect(issuesOf({ tokens: [{ principal: 'x', token: { env: 'A' }, roles: ['root'] }] })).toEqual([
      'tokens.0.roles.0:invalid_value',
    ]);
    expect(parseServerConfig({}).port).toBe(8787);
  });

  it('a token whose variable is not set fails at start, naming the field and the variable, not binding the port', async () => {
    await expect(
      startTestService({ tokens: [{ principal: 'x', token: { env: 'UNSET_TOKEN_VAR_1' } }] }),
    ).rejects.toMatchObject({
      name: 'DefinitionError',
      issues: [
        { path: ['tokens', 0, 'token'], message: 'the environment variable UNSET_TOKEN_VAR_1 is not set' },
      ],
    });
  });
});
