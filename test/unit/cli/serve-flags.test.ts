import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { serveConfigInput } from '../../../src/cli/serve-command.js';
import { parseServerConfig } from '../../../src/server/server-config.js';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

it('every setting is a flag, and a flag wins over the config file', () => {
  dir = mkdtempSync(join(tmpdir(), 'serve-flags-'));
  const file = join(dir, 'serve.json');
  writeFileSync(
    file,
    JSON.stringify({ port: 9000, host: '0.0.0.0', limits: { inFlight: 10, tokenRate: 5 } }),
  );
  const { config } = serveConfigInput([
    '--config',
    file,
    '--port',
    '8788',
    '--max-in-flight',
    '20',
    '--store',
    's',
    '--log-level',
    'debug',
    '--token-env',
    'MY_TOKEN',
    '--mlflow-secret-env',
    'MLF',
  ]);
  const parsed = parseServerConfig(config);
  expect(parsed.port).toBe(8788);
  expect(parsed.host).toBe('0.0.0.0');
  expect(parsed.limits).toMatchObject({ inFlight: 20, tokenRate: 5 });
  expect(parsed.store).toBe('s');
  expect(parsed.logLevel).toBe('debug');
  expect(parsed.tokens).toEqual([
    { principal: 'admin', token: { env: 'MY_TOKEN' }, roles: ['intake', 'read', 'manage'] },
  ]);
  expect(parsed.mlflow).toEqual({ secret: { env: 'MLF' } });
});

it('with nothing given: port 8787, ./ml-automations-state, no integration', () => {
  const parsed = parseServerConfig(serveConfigInput([]).config);
  expect([parsed.port, parsed.store, parsed.integrations]).toEqual([8787, './ml-automations-state', {}]);
});

it('a number flag that is not a number is a usage error', () => {
  expect(() => serveConfigInput(['--port', 'eighty'])).toThrow(/--port eighty: expected a number/);
});

it('--nats is cluster mode: cluster.nats, validated like every setting', () => {
  const { config } = serveConfigInput(['--nats', 'nats://127.0.0.1:4222']);
  expect(parseServerConfig(config).cluster).toEqual({ nats: 'nats://127.0.0.1:4222' });
  expect(() => parseServerConfig({ cluster: { nats: 4222 } })).toThrow(/cluster\.nats|nats/);
});
