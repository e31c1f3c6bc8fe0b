import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { vi } from 'vitest';
import { parseServerConfig } from '../../src/server/server-config.js';
import { type Service, serviceLogger, startService } from '../../src/server/start-service.js';

export const ADMIN_TOKEN = 'adm-9f2c4e6a8b0d1357';
export const READER_TOKEN = 'rdr-1a3c5e7f9b2d4680';
export const INTAKE_TOKEN = 'ink-5e7a9c1b3d5f7092';

/** A service on 127.0.0.1 (a free port) with a state folder of its own, and every log line kept. */
export type TestService = Service & {
  readonly dir: string;
  readonly logs: string[];
  /** fetch relative to the service, with `token` as bearer unless `null`. */
  call(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  stopAll(): Promise<void>;
};

export const TEST_ENV = {
  ADMIN_TOKEN,
  READER_TOKEN,
  INTAKE_TOKEN,
};

export const TEST_TOKENS = [
  { principal: 'admin', token: { env: 'ADMIN_TOKEN' } },
  { principal: 'reader', token: { env: 'READER_TOKEN' }, roles: ['read'] },
  { principal: 'ingest-bot', token: { env: 'INTAKE_TOKEN' }, roles: ['intake'] },
];

export async function startTestService(
  config: Record<string, unknown> = {},
  env: Record<string, string> = {},
  dir = mkdtempSync(join(tmpdir(), 'serve-')),
): Promise<TestService> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  // Secrets reach the service only through the environment, as in production (vi.unstubAllEnvs restores it).
  for (const [name, value] of Object.entries({ ...TEST_ENV, ...env })) vi.stubEnv(name, value);
  let service: Service;
  try {
    const parsed = parseServerConfig({
      port: 0,
      tokens: TEST_TOKENS,
      store: dir,
      logLevel: 'trace',
      ...config,
    });
    service = await startService(parsed, { logger: serviceLogger(parsed.logLevel, sink) });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    vi.unstubAllEnvs();
    throw error;
  }
  return {
    ...service,
    dir,
    logs,
    call(path, init = {}) {
      const { token = ADMIN_TOKEN, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token !== null) headers.set('authorization', `Bearer ${token}`);
      return fetch(`${service.url}${path}`, { ...rest, headers });
    },
    async stopAll() {
      try {
        await service.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
        vi.unstubAllEnvs();
      }
    },
  };
}

/** The trigger the service tests save as JSON: the latest `accuracy` of acme/vision above `threshold`. */
export function accuracyAbove(threshold: number): Record<string, unknown> {
  return {
    type: 'OnRunMetric',
    scope: 'acme/vision',
    filter: { type: 'MetricThresholdFilter', name: 'accuracy', window: 1, agg: 'mean', cmp: '>', threshold },
  };
}
