import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, parseAutomation } from '../../../src/index.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';
import { accuracyAbove } from '../../helpers/service.js';

const TOKEN = 'restart-token-4d9a7c2e';
const HOOK_SECRET = `whsec_${Buffer.alloc(32, 0x44).toString('base64')}`;
const MAIN = join(import.meta.dirname, '../../../src/cli/main.ts');

let children: ChildProcess[] = [];
let dirs: string[] = [];
let receiver: TestServer | undefined;
afterEach(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children = [];
  await receiver?.close();
  receiver = undefined;
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** `ml-automations serve` as a child process (tsx), resolved with its URL once it listens. */
async function serve(
  config: string,
): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null>; stderr: () => string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, 'serve', '--config', config, '--port', '0', '--log-level', 'warn'],
    {
      env: { ...process.env, SERVE_TOKEN: TOKEN, HOOK_SECRET },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  children.push(child);
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (d) => {
      stderr += String(d);
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m !== null) resolve(m[1] as string);
    });
    exited.then(() => reject(new Error(`serve exited: ${stderr}`)));
  });
  return { child, url, exited, stderr: () => stderr };
}

const automation = {
  name: 'accuracy-high',
  event: accuracyAbove(0.5),
  action: { type: 'SendWebhook', integration: 'hook', payload: { step: '${metric_value}' } },
  cooldownMs: 0,
};
const events = Array.from({ length: 40 }, (_, i) => ({
  specversion: '1.0',
  id: `e${i}`,
  source: '/wandb/acme/vision',
  type: 'run.metrics',
  time: Date.parse('2026-01-01T00:00:00Z') + i * 1000,
  data: {
    entity: 'acme',
    project: 'vision',
    runId: 'r1',
    step: i,
    metrics: { accuracy: i % 3 === 0 ? 0.9 : 0.1 },
  },
}));

type Answer = { status: string; firings: string[] };
const post = async (url: string, path: string, body: unknown, type: string): Promise<Response> =>
  fetch(`${url}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': type },
  });

describe('restart mid-stream (kill -9), then SIGTERM', () => {
  it('loses and repeats nothing: every acknowledged event is a duplicate after the restart, the firings are those of one engine, each delivered (by webhook-id)', async () => {
    receiver = await startServer();
    const dir = mkdtempSync(join(tmpdir(), 'serve-restart-'));
    dirs.push(dir);
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        store: join(dir, 'state'),
        tokens: [{ principal: 'ops', token: { env: 'SERVE_TOKEN' } }],
        integrations: {
          hook: {
            type: 'WebhookIntegration',
            url: `${receiver.origin}/hook`,
            secret: { env: 'HOOK_SECRET' },
          },
        },
      }),
    );
    // What one engine fires for the whole stream: the reference.
    const reference = createEngine({ integrations: { hook: { deliver: async () => undefined } } });
    reference.save(parseAutomation(automation), { id: 'acc' });
    const expected = reference.applyBatch(events).flatMap((r) => r.firings.map((f) => f.id));
    await reference.close();
    expect(expected.length).toBeGreaterThan(5);

    const first = await serve(config);
    expect(
      (await post(first.url, '/automations', { ...automation, id: 'acc' }, 'application/json')).status,
    ).toBe(201);
    const fired: string[] = [];
    const acknowledged = 23;
    for (const e of events.slice(0, acknowledged)) {
      const res = await post(first.url, '/events', e, 'application/cloudevents+json');
      expect(res.status).toBe(202);
      fired.push(...((await res.json()) as Answer).firings);
    }
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);

    const second = await serve(config);
    const statuses: string[] = [];
    for (const e of events) {
      const res = await post(second.url, '/events', e, 'application/cloudevents+json');
      expect(res.status).toBe(202);
      const answer = (await res.json()) as Answer;
      statuses.push(answer.status);
      fired.push(...answer.firings);
    }
    expect(statuses).toEqual(events.map((_, i) => (i < acknowledged ? 'duplicate' : 'accepted')));
    expect(fired).toEqual(expected);

    // Deliveries: each firing reaches the receiver (those pending at the kill go on after the restart).
    const ids = () => new Set(receiver?.requests.map((r) => String(r.headers['webhook-id'])));
    for (let i = 0; i < 200 && ids().size < expected.length; i++) await new Promise((r) => setTimeout(r, 50));
    expect([...ids()].sort()).toEqual([...expected].sort());

    // SIGTERM: intake stops, the last checkpoint is written, exit 0.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.stderr()).toContain('stopped');
    const third = await serve(config);
    const again = await post(third.url, '/events', events[events.length - 1], 'application/cloudevents+json');
    expect(((await again.json()) as Answer).status).toBe('duplicate');
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 60_000);
});
