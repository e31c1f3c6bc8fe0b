import { afterEach, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/index.js';
import { createServer, type Server } from '../../../src/server/create-server.js';
import { authorizePrincipal, Principals } from '../../../src/server/principals.js';
import { parseServerConfig } from '../../../src/server/server-config.js';

let server: Server | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await server?.stop();
  await engine?.close().catch(() => undefined);
  server = undefined;
  engine = undefined;
});

it('no 2xx without a checkpoint: a failing store answers 503 (send again) and /readyz says not ready until a save succeeds', async () => {
  let failing = true;
  const saved: unknown[] = [];
  engine = createEngine({
    authorize: authorizePrincipal,
    store: {
      load: () => undefined,
      save: async (state) => {
        if (failing) throw new Error('disk full');
        saved.push(state);
      },
    },
  });
  server = await createServer({
    engine,
    principals: new Principals([{ principal: 'ops', token: { env: 'T' }, roles: ['intake', 'read'] }], {
      T: 'tok-store-1',
    }),
    limits: parseServerConfig({}).limits,
  });
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const post = () =>
    fetch(`${url}/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer tok-store-1', 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({
        specversion: '1.0',
        id: 'e1',
        source: 's',
        type: 'run.state',
        data: { entity: 'a', project: 'p', runId: 'r', state: 'running' },
      }),
    });
  const refused = await post();
  expect(refused.status).toBe(503);
  expect(((await refused.json()) as { type: string }).type).toBe('urn:ml-automations:problem:not-saved');
  expect((await fetch(`${url}/readyz`)).status).toBe(503);
  failing = false;
  const again = await post();
  expect(again.status).toBe(202);
  expect(((await again.json()) as { status: string }).status).toBe('duplicate');
  expect(saved).toHaveLength(1);
  expect((await fetch(`${url}/readyz`)).status).toBe(200);
});
