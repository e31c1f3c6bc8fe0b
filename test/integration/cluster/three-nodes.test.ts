// A 3-node NATS cluster on loopback with 3-replica streams: a server is killed (-9) in the middle of publishing —
// the event stream's leader when it also holds one of the worker's consumers, else the server holding most of them
// (a consumer whose server died once stalled its partition for good); nothing the server acknowledged is lost,
// and the worker logs exactly one engine's firings.
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

/** The stream leader if it holds one of the worker's event consumers, else the server holding most of them. */
async function pickVictim(nats: string[]): Promise<string | undefined> {
  const nc = await connect({ servers: nats });
  try {
    const jsm = await jetstreamManager(nc);
    const leader = (await jsm.streams.info('MLA_EV')).cluster?.leader;
    const held = new Map<string, number>();
    for (const ci of await jsm.consumers.list('MLA_EV').next()) {
      const at = ci.cluster?.leader;
      if (at !== undefined) held.set(at, (held.get(at) ?? 0) + 1);
    }
    if (leader !== undefined && held.has(leader)) return leader;
    return [...held.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? leader;
  } finally {
    await nc.close();
  }
}

describe.skipIf(skip !== undefined)('a 3-node NATS cluster', () => {
  it('loses nothing acknowledged and resumes every partition when the server holding the stream’s leader or the worker’s consumers is killed', async () => {
    const routes = await Promise.all([0, 1, 2].map(() => freePort()));
    const urls = routes.map((p) => `nats://127.0.0.1:${p}`);
    for (const [i, port] of routes.entries())
      servers.push(
        await startNatsServer({ serverName: `n${i}`, cluster: { name: 'mla', port, routes: urls } }),
      );
    const nats = servers.map((s) => s.url);
    await retry(() => initCluster({ nats, partitions: P, replicas: 3, leaseTtlMs: 1500 }));
    await retry(() => pushDefinitions({ nats, automations: DEFINITIONS_V1 }));
    const issues: string[] = [];
    const onIssue = (i: { message: string }) => issues.push(i.message);
    workers.push(await createWorker({ nats, id: 'w', settleMs: 0, onIssue }));
    let killed: string | undefined;
    const chunks = 8;
    const size = Math.ceil(STREAM.length / chunks);
    for (let i = 0; i < chunks; i++) {
      if (i === chunks / 2) {
        const victim = await pickVictim(nats);
        await servers.find((_, k) => `n${k}` === victim)?.kill();
        killed = victim;
      }
      await retry(() => publishEvents({ nats, events: STREAM.slice(i * size, (i + 1) * size) }));
    }
    expect(killed).toMatch(/^n[012]$/);
    // The worker must resume every partition, whatever server held its consumers; its issues say how.
    await retry(() => waitCaughtUp(nats, 60_000), Date.now() + 60_000).catch((error: unknown) => {
      throw new Error(`${String(error)}; killed ${killed}; worker issues: ${issues.join(' | ')}`);
    });
    const logged: string[] = [];
    // A new reader's consumer may be placed on the dead server until the cluster marks it offline (15–30 s, more
    // on a loaded machine: README, Running on many processes), so the read is retried for longer than the rest.
    await retry(async () => {
      logged.length = 0;
      for await (const f of readFirings({ nats })) logged.push(f.id);
    }, Date.now() + 90_000);
    const engine = createEngine({ partitions: P });
    engine.importAutomations(DEFINITIONS_V1, { mode: 'replace' });
    const expected = engine.ingestBatch(STREAM).map((f) => f.id);
    expect(logged.length).toBe(expected.length);
    expect(new Set(logged)).toEqual(new Set(expected));
  }, 240_000);
});
