// A 3-node NATS cluster on loopback with 3-replica streams: the event stream's leader is killed (-9) in the
// middle of publishing; nothing the server acknowledged is lost, and the worker logs exactly one engine's firings.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createWorker,
  initCluster,
  publishEvents,
  pushDefinitions,
  readFirings,
  type Worker,
} from '../../../src/cluster/index.js';
import { createEngine } from '../../../src/index.js';
import { DEFINITIONS_V1, generateStream } from '../../helpers/cluster-stream.js';
import { waitCaughtUp } from '../../helpers/cluster-workers.js';
import { clusterSkipReason, freePort, type NatsServer, startNatsServer } from '../../helpers/nats-server.js';

const skip = clusterSkipReason();
const P = 4;
const STREAM = generateStream({ runs: 800, rowsPerRun: 5, seed: 3 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const servers: NatsServer[] = [];
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close().catch(() => undefined)));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** Retry a call while the cluster elects leaders; the same events published again are de-duplicated. */
async function retry<T>(what: () => Promise<T>, deadline = Date.now() + 30_000): Promise<T> {
  for (;;) {
    try {
      return await what();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}

describe.skipIf(skip !== undefined)('a 3-node NATS cluster', () => {
  it('loses nothing acknowledged when the event stream’s leader is killed mid-stream', async () => {
    const routes = await Promise.all([0, 1, 2].map(() => freePort()));
    const urls = routes.map((p) => `nats://127.0.0.1:${p}`);
    for (const [i, port] of routes.entries())
      servers.push(
        await startNatsServer({ serverName: `n${i}`, cluster: { name: 'mla', port, routes: urls } }),
      );
    const nats = servers.map((s) => s.url);
    await retry(() => initCluster({ nats, partitions: P, replicas: 3, leaseTtlMs: 1500 }));
    await retry(() => pushDefinitions({ nats, automations: DEFINITIONS_V1 }));
    workers.push(await createWorker({ nats, id: 'w', settleMs: 0 }));
    const chunks = 8;
    const size = Math.ceil(STREAM.length / chunks);
    for (let i = 0; i < chunks; i++) {
      if (i === chunks / 2) {
        const nc = await connect({ servers: nats });
        const leader = (await (await jetstreamManager(nc)).streams.info('MLA_EV')).cluster?.leader;
        await nc.close();
        const victim = servers.find((_, k) => `n${k}` === leader);
        expect(victim).toBeDefined();
        await victim?.kill();
      }
      await retry(() => publishEvents({ nats, events: STREAM.slice(i * size, (i + 1) * size) }));
    }
    await retry(() => waitCaughtUp(nats, 30_000));
    const logged: string[] = [];
    await retry(async () => {
      logged.length = 0;
      for await (const f of readFirings({ nats })) logged.push(f.id);
    });
    const engine = createEngine({ partitions: P });
    engine.importAutomations(DEFINITIONS_V1, { mode: 'replace' });
    const expected = engine.ingestBatch(STREAM).map((f) => f.id);
    expect(logged.length).toBe(expected.length);
    expect(new Set(logged)).toEqual(new Set(expected));
  }, 90_000);
});
