import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEngine,
  type DeadLetter,
  type DeliveryRecord,
  type Engine,
  type Issue,
  OnRunMetric,
  RunEvent,
  SendNotification,
  SendWebhook,
  SlackIntegration,
  WebhookIntegration,
} from '../../src/index.js';
import type { HttpRequest, Transport } from '../../src/sinks/http/http-request.js';
import { VirtualClock } from '../../src/testing/index.js';
import { respond, startServer, type TestServer } from '../helpers/http-server.js';

/** Visible ASCII, as a bearer token may be: with a quote and a backslash, which JSON escapes in a payload. */
const TOKEN = 'tok-"9f2c\\41e7-b3d8';
const PLAIN_TOKEN = 'tok-5e8a1c3b9d7f';

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

async function settle(engine: Engine): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await engine.idle();
    await new Promise((r) => setImmediate(r));
  }
}

type Recorded = { issues: Issue[]; records: DeliveryRecord[]; letters: DeadLetter[] };

function engineWith(token: string, options: { transport?: Transport; deadLetterFile?: string } = {}) {
  const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
  const engine = createEngine({
    clock,
    integrations: {
      hook: WebhookIntegration({ url: `${server.origin}/hook`, accessToken: token }),
      slack: SlackIntegration({ webhookUrl: `${server.origin}/slack` }),
    },
    delivery: {
      ...(options.transport !== undefined && { transport: options.transport }),
      ...(options.deadLetterFile !== undefined && { deadLetter: { file: options.deadLetterFile } }),
    },
  });
  engines.push(engine);
  const recorded: Recorded = { issues: [], records: [], letters: [] };
  engine.errors$.subscribe((i) => recorded.issues.push(i));
  engine.deliveries$.subscribe((r) => recorded.records.push(r));
  engine.on('dead-lettered', (l) => recorded.letters.push(l));
  const watch = (action: Parameters<ReturnType<typeof OnRunMetric>['do']>[0], name: string) =>
    engine.save(OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }).do(action), {
      name,
      cooldownMs: 0,
      retryPolicy: { maxDeliveryAttempts: 1 },
    });
  const fire = (runName = 'sweep-1') =>
    engine.ingest({
      id: `e-${runName}`,
      source: '/t',
      type: 'run.metrics',
      data: { entity: 'acme', project: 'vision', runId: 'r1', runName, metrics: { m: 1 } },
    });
  return { engine, clock, recorded, watch, fire };
}

describe('${ACCESS_TOKEN}: the integration bearer token in a webhook payload, as W&B payloads allow it', () => {
  it('renders the access token into a SendWebhook payload, beside the Authorization header it also sets', async () => {
    const { engine, watch, fire } = engineWith(TOKEN);
    watch(
      SendWebhook({ integration: 'hook', payload: { token: '${ACCESS_TOKEN}', run: '${run_name}' } }),
      'w',
    );
    fire();
    await settle(engine);
    const [request] = server.requests;
    expect(JSON.parse(request?.body ?? '{}')).toEqual({ token: TOKEN, run: 'sweep-1' });
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('renders nothing in a notification message or a Slack payload: there it would be posted to a channel', async () => {
    const { engine, watch, fire } = engineWith(PLAIN_TOKEN);
    watch(
      SendNotification({ integration: 'hook', title: 't ${ACCESS_TOKEN}', message: 'm ${ACCESS_TOKEN}' }),
      'n',
    );
    watch(SendWebhook({ integration: 'slack', payload: { text: 'x${ACCESS_TOKEN}y' } }), 's');
    fire();
    await settle(engine);
    expect(server.requests).toHaveLength(2);
    for (const r of server.requests) expect(r.body).not.toContain(PLAIN_TOKEN);
    expect(server.requests.find((r) => r.url === '/slack')?.body).toBe('{"text":"xy"}');
  });

  it('an event holding "${ACCESS_TOKEN}" never pulls the token in: substitution is one pass', async () => {
    const { engine, watch, fire } = engineWith(PLAIN_TOKEN);
    watch(SendWebhook({ integration: 'hook', payload: { run: '${run_name}' } }), 'w');
    fire('${ACCESS_TOKEN}');
    await settle(engine);
    expect(JSON.parse(server.requests[0]?.body ?? '{}')).toEqual({ run: '${ACCESS_TOKEN}' });
  });
});

describe('a rendered payload holding the token is redacted wherever it is recorded', () => {
  /** Everything the engine records or hands out about deliveries, as text. */
  async function everything(engine: Engine, recorded: Recorded, file?: string): Promise<string> {
    const lines = file === undefined ? '' : await readFile(file, 'utf8').catch(() => '');
    return JSON.stringify({
      history: engine.history(),
      snapshot: engine.snapshot(),
      ...recorded,
      messages: recorded.issues.map((i) => i.message),
      lines,
    });
  }

  it('a transport error quoting the request body: history, issues, dead letters (and their file), snapshots', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mla-token-'));
    dirs.push(dir);
    const file = join(dir, 'dead.jsonl');
    const sent: HttpRequest[] = [];
    // A transport (a proxy, say) whose error message repeats the request it could not send.
    const transport: Transport = {
      send: async (request) => {
        sent.push(request);
        throw new Error(`upstream refused ${request.body} with ${JSON.stringify(request.headers)}`);
      },
    };
    const { engine, watch, fire, recorded } = engineWith(TOKEN, { transport, deadLetterFile: file });
    watch(SendWebhook({ integration: 'hook', payload: { auth: 'Bearer ${ACCESS_TOKEN}' } }), 'w');
    fire();
    const pending = engine.snapshot();
    await settle(engine);
    // The request did carry it, JSON-escaped in the body: what a leak would show.
    expect(sent[0]?.body).toContain(JSON.stringify(TOKEN).slice(1, -1));
    expect(recorded.letters).toHaveLength(1);
    const [attempt] = engine.history()[0]?.attempts ?? [];
    expect(attempt?.error).toMatch(/^upstream refused \{"auth":"Bearer \[redacted\]"\}/);
    const text = `${JSON.stringify(pending)}${await everything(engine, recorded, file)}`;
    expect(text).toContain('[redacted]');
    for (const form of [TOKEN, JSON.stringify(TOKEN).slice(1, -1), JSON.stringify(JSON.stringify(TOKEN))])
      expect(text).not.toContain(form);
  });

  it('a real receiver that refuses the payload (400): the records hold the status, never the body', async () => {
    server.otherwise(respond(400));
    const { engine, watch, fire, recorded } = engineWith(PLAIN_TOKEN);
    watch(SendWebhook({ integration: 'hook', payload: { token: '${ACCESS_TOKEN}' } }), 'w');
    fire();
    await settle(engine);
    expect(server.requests[0]?.body).toBe(`{"token":"${PLAIN_TOKEN}"}`);
    expect(recorded.letters.map((l) => l.lastHttpStatusCode)).toEqual([400]);
    expect(await everything(engine, recorded)).not.toContain(PLAIN_TOKEN);
  });
});
