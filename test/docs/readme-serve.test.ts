import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterEach, expect, it } from 'vitest';
import { parseServerConfig } from '../../src/server/server-config.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { codeBlocks } from './markdown.js';

// The README's "Run it as a service" curl session, run with bash and curl against a real server.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const TOKEN = 'readme-token-0c7e5a3f9b1d';
const SECRET = `whsec_${Buffer.alloc(32, 0x2b).toString('base64')}`;

function section() {
  const start = README.indexOf('\n## Run it as a service\n');
  const end = README.indexOf('\n## ', start + 1);
  return codeBlocks(README.slice(start, end));
}

let service: TestService | undefined;
let receiver: TestServer | undefined;
afterEach(async () => {
  await service?.stopAll();
  await receiver?.close();
  service = undefined;
  receiver = undefined;
});

it("the README's curl session creates an automation, posts events and sees a signed delivery", async () => {
  const session = section().find((b) => b.lang === 'bash')?.code;
  expect(session).toBeDefined();
  receiver = await startServer();
  service = await startTestService(
    {
      tokens: [{ principal: 'admin', token: { env: 'README_TOKEN' } }],
      integrations: {
        deployer: {
          type: 'WebhookIntegration',
          url: `${receiver.origin}/hook`,
          secret: { env: 'DEPLOYER_SECRET' },
        },
      },
    },
    { README_TOKEN: TOKEN, DEPLOYER_SECRET: SECRET },
  );
  const url = service.url;
  // Asynchronously: a synchronous child would block the event loop the server answers on.
  const output = await new Promise<string>((done, fail) =>
    execFile(
      'bash',
      ['-euo', 'pipefail', '-c', session as string],
      { env: { ...process.env, URL: url, TOKEN } },
      (error, stdout, stderr) =>
        error === null ? done(stdout) : fail(new Error(`${error.message}\n${stdout}\n${stderr}`)),
    ),
  );
  expect(output).toContain('"status":"accepted"');
  expect(output).toContain('"status":"duplicate"');
  expect(output).toContain('"description":"from the README"');
  await receiver.waitForRequests(1, 10_000);
  const r = receiver.requests[0];
  const h = (n: string) => String(r?.headers[n] ?? '');
  const body = new Webhook(SECRET).verify(r?.body ?? '', {
    'webhook-id': h('webhook-id'),
    'webhook-timestamp': h('webhook-timestamp'),
    'webhook-signature': h('webhook-signature'),
  });
  expect(body).toEqual({ run: 'sweep-7', accuracy: '0.97' });
  expect(output).toContain(h('webhook-id'));
});

it("the README's configuration example is valid", () => {
  const json = section().find((b) => b.lang === 'json')?.code;
  expect(() => parseServerConfig(JSON.parse(json ?? ''))).not.toThrow();
});

it('curl is there to run the session', () => {
  expect(execFileSync('curl', ['--version'], { encoding: 'utf8' })).toMatch(/^curl /);
});
