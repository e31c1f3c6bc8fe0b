import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  createDeliverer,
  type Deliverer,
  type Firing,
  PagerDutyIntegration,
  SendPagerDuty,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { startServer, type TestServer } from '../helpers/http-server.js';

const KEY = 'R0UTINGKEY0123456789abcdefXYZ';
/** The most of an answer's body kept: the transport reads 4 KiB. */
const KEPT = 4096;

let server: TestServer;
let deliverer: Deliverer | undefined;

beforeEach(async () => {
  server = await startServer();
});

afterEach(async () => {
  await deliverer?.close({ abort: true });
  await server.close();
});

it('a PagerDuty answer cut at 4 KiB in the middle of the routing key shows none of it in history', async () => {
  // The key starts 10 characters before the cut: the kept body ends with its first 10 characters.
  server.otherwise({
    kind: 'respond',
    status: 500,
    body: `${'x'.repeat(KEPT - 10)}${KEY}${'y'.repeat(100)}`,
  });
  const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
  deliverer = createDeliverer({
    clock,
    integrations: { pd: PagerDutyIntegration({ routingKey: KEY, url: `${server.origin}/v2/enqueue` }) },
  });
  const firing: Firing = {
    id: 'fir_1',
    automationId: 'a1',
    automationName: 'a',
    event: { id: 'e1', source: '/t', type: 'tick' },
    time: clock.now(),
    action: SendPagerDuty({ integration: 'pd', severity: 'error' }),
  };
  deliverer.deliver(firing);
  await server.waitForRequests(1);
  for (let i = 0; i < 3; i++) {
    await deliverer.idle();
    await new Promise((r) => setImmediate(r));
  }
  const body = deliverer.history()[0]?.attempts[0]?.body ?? '';
  expect(body.startsWith('xxxx')).toBe(true);
  expect(body).not.toContain(KEY.slice(0, 4));
  expect(body.endsWith('[redacted]')).toBe(true);
});
