// SEMANTICS §9, CLUSTER.md "Testing it here": workers in processes of their own, with a join, a rebalance, a
// kill -9 and a stale writer (SIGSTOP past its lease, then SIGCONT), log per partition exactly the firings one
// engine produces from the same stream and definition changes, in order. Without fencing, the same run fails.
import { afterEach, describe, expect, it } from 'vitest';
import { initCluster, publishEvents, pushDefinitions, readFirings } from '../../../src/cluster/index.js';
import { createEngine, partitionKey, partitionOf } from '../../../src/index.js';
import { DEFINITIONS_V1, DEFINITIONS_V2, generateStream } from '../../helpers/cluster-stream.js';
import { startWorker, stopWorker, type WorkerProcess, waitCaughtUp } from '../../helpers/cluster-workers.js';
import { clusterSkipReason, type NatsServer, startNatsServer } from '../../helpers/nats-server.js';

const skip = clusterSkipReason();
if (skip !== undefined) console.warn(`cluster tests skipped: ${skip}`);

const P = 16;
const STREAM = generateStream({ runs: 5000, rowsPerRun: 6 });
/** Where the stream is cut into the parts the scenario publishes, and where the definitions change. */
const CUTS = [0, 0.3, 0.5, 0.65, 0.8, 1].map((f) => Math.floor(f * STREAM.length));
const part = (i: number) => STREAM.slice(CUTS[i], CUTS[i + 1]);
const CHANGE_AFTER = 2;

type Logs = Map<number, string[]>;

/** Each event's partition, as the producer computes it. */
const PARTITION_OF = new Map(
  STREAM.map((e) => [(e as { id: string }).id, partitionOf(partitionKey(e), P)] as const),
);

function byPartition(firings: Iterable<{ id: string; event: { id: string } }>): Logs {
  const logs: Logs = new Map();
  for (const f of firings) {
    const p = PARTITION_OF.get(f.event.id) as number;
    const list = logs.get(p) ?? [];
    list.push(f.id);
    logs.set(p, list);
  }
  return logs;
}

/** One engine, the same stream, the definitions changed at the same place. */
function reference(): Logs {
  const engine = createEngine({ partitions: P });
  engine.importAutomations(DEFINITIONS_V1, { mode: 'replace' });
  const firings = [];
  for (let i = 0; i < CUTS.length - 1; i++) {
    if (i === CHANGE_AFTER) engine.importAutomations(DEFINITIONS_V2, { mode: 'replace' });
    firings.push(...engine.ingestBatch(part(i)));
  }
  return byPartition(firings);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: NatsServer | undefined;
const workers: WorkerProcess[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => stopWorker(w, 'SIGKILL')));
  await server?.stop();
  server = undefined;
});

/** The scenario: W1, W2; W3 joins (rebalance); definitions change; W1 killed; W2 stopped past its lease; W4 joins. */
async function scenario(unfenced: boolean): Promise<{ logs: Logs; staleLog: string }> {
  server = await startNatsServer();
  const nats = server.url;
  await initCluster({ nats, partitions: P, leaseTtlMs: 1500 });
  await pushDefinitions({ nats, automations: DEFINITIONS_V1 });
  const start = async (id: string) => {
    const w = await startWorker(nats, id, unfenced);
    workers.push(w);
    return w;
  };
  const [w1, w2] = await Promise.all([start('w1'), start('w2')]);
  await publishEvents({ nats, events: part(0) });
  await start('w3');
  await publishEvents({ nats, events: part(1) });
  await pushDefinitions({ nats, automations: DEFINITIONS_V2 });
  await publishEvents({ nats, events: part(2) });
  await sleep(300);
  // kill -9 one worker, and stop another so that it holds leases it will lose: a stale writer once resumed.
  await stopWorker(w1 as WorkerProcess, 'SIGKILL');
  (w2 as WorkerProcess).child.kill('SIGSTOP');
  await publishEvents({ nats, events: part(3) });
  await waitCaughtUp(nats, 30_000, ['w3']);
  await publishEvents({ nats, events: part(4) });
  await waitCaughtUp(nats, 30_000, ['w3']);
  (w2 as WorkerProcess).child.kill('SIGCONT');
  await sleep(500);
  await start('w4');
  await waitCaughtUp(nats, 30_000);
  const logged = [];
  for await (const f of readFirings({ nats })) logged.push(f);
  return { logs: byPartition(logged), staleLog: (w2 as WorkerProcess).log.join('') };
}

describe.skipIf(skip !== undefined)('a cluster of worker processes equals one engine (SEMANTICS §9)', () => {
  const expected = reference();

  it('logs each partition’s firings exactly as one engine does, through a join, a rebalance, kill -9 and a stale writer', async () => {
    const { logs, staleLog } = await scenario(false);
    expect([...expected.values()].flat().length).toBeGreaterThan(1000);
    // The stopped worker did write once resumed, and the fencing refused it.
    expect(staleLog).toMatch(/fenced out/);
    for (let p = 0; p < P; p++) expect(logs.get(p) ?? [], `partition ${p}`).toEqual(expected.get(p) ?? []);
  }, 120_000);

  it('negative control: with the fencing switched off, the stale writer repeats firings', async () => {
    const { logs } = await scenario(true);
    const repeated = [...logs.values()].flat().length - new Set([...logs.values()].flat()).size;
    expect(repeated).toBeGreaterThan(0);
    const same = [...Array(P).keys()].every(
      (p) => JSON.stringify(logs.get(p) ?? []) === JSON.stringify(expected.get(p) ?? []),
    );
    expect(same).toBe(false);
  }, 120_000);
});
