// The whole cluster stops (every worker, then the server) and starts again: the new workers continue from the
// partition snapshots, not from the start of the log (purged here), and the firings still equal one engine's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clusterStatus,
  createWorker,
  initCluster,
  publishEvents,
  pushDefinitions,
  readFirings,
  type Worker,
} from '../../../src/cluster/index.js';
import { createEngine } from '../../../src/index.js';
import { DEFINITIONS_V1, DEFINITIONS_V2, generateStream } from '../../helpers/cluster-stream.js';
import { waitCaughtUp } from '../../helpers/cluster-workers.js';
import { clusterSkipReason, type NatsServer, startNatsServer } from '../../helpers/nats-server.js';

const skip = clusterSkipReason();
const P = 8;
const STREAM = generateStream({ runs: 1500, rowsPerRun: 5, seed: 11 });
const HALF = Math.floor(STREAM.length / 2);

let server: NatsServer | undefined;
const workers: Worker[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close().catch(() => undefined)));
  await server?.stop();
  server = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(skip !== undefined)('restarting the whole cluster', () => {
  it('continues from the partition snapshots and still logs exactly one engine’s firings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nats-restart-'));
    dirs.push(dir);
    server = await startNatsServer({ dir });
    const { port } = server;
    const nats = server.url;
    await initCluster({ nats, partitions: P, leaseTtlMs: 1500 });
    await pushDefinitions({ nats, automations: DEFINITIONS_V1 });
    const join2 = async () => {
      for (const id of ['a', 'b']) workers.push(await createWorker({ nats, id, settleMs: 100 }));
    };
    await join2();
    await publishEvents({ nats, events: STREAM.slice(0, HALF) });
    await pushDefinitions({ nats, automations: DEFINITIONS_V2 });
    await waitCaughtUp(nats, 30_000);
    // Every worker leaves (each partition handed back with a snapshot), then the server stops.
    await Promise.all(workers.splice(0).map((w) => w.close()));
    const before = await clusterStatus({ nats });
    expect(before.byPartition.every((p) => p.owner === undefined && p.snapshotSeq === p.lastSeq)).toBe(true);
    // The events before the snapshots are gone: only a restore from the snapshots can give the same firings.
    const nc = await connect({ servers: nats });
    await (await jetstreamManager(nc)).streams.purge('MLA_EV');
    await nc.close();
    await server.stop();

    server = await startNatsServer({ dir, port });
    await join2();
    await publishEvents({ nats, events: STREAM.slice(HALF) });
    await waitCaughtUp(nats, 30_000);
    const logged = [];
    for await (const f of readFirings({ nats })) logged.push(f.id);

    const engine = createEngine({ partitions: P });
    engine.importAutomations(DEFINITIONS_V1, { mode: 'replace' });
    const expected = engine.ingestBatch(STREAM.slice(0, HALF)).map((f) => f.id);
    engine.importAutomations(DEFINITIONS_V2, { mode: 'replace' });
    expected.push(...engine.ingestBatch(STREAM.slice(HALF)).map((f) => f.id));
    expect(logged.length).toBe(expected.length);
    expect(new Set(logged)).toEqual(new Set(expected));
  }, 60_000);
});
