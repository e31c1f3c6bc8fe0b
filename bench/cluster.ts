// `npm run bench cluster`: workers on a real nats-server (shared/CLUSTER.md, "Testing it here"). Events/s and CPU
// µs per event for the producer, the workers and the server, with 1, 2 and 4 worker processes; then the failover
// time: kill -9 of one of two workers until every partition is owned and consumed again. On 2 cores this shows
// the cost of coordination, not scaling: the per-event CPU figures are what size a deployment.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clusterStatus, initCluster, publishEvents, pushDefinitions } from '../src/cluster/index.js';
import { AUTOMATION_EXPORT_FORMAT } from '../src/index.js';
import { startNatsServer } from '../test/helpers/nats-server.js';
import type { Row } from './measure.js';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'cluster-worker.ts');
const P = 16;
const RUNS = 2000;
const ROWS = Number(process.env['BENCH_CLUSTER_ROWS'] ?? 100);
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function events(): unknown[] {
  const out: unknown[] = [];
  for (let step = 0; step < ROWS; step++)
    for (let r = 0; r < RUNS; r++)
      out.push({
        id: `${r}-${step}`,
        source: 'bench',
        type: 'run.metrics',
        time: T0 + step * 1000 + r,
        data: {
          entity: 'acme',
          project: 'vision',
          runId: `run-${r}`,
          step,
          metrics: { acc: ((r * 7 + step) % 100) / 100 },
        },
      });
  return out;
}

const automations = {
  format: AUTOMATION_EXPORT_FORMAT,
  version: 1,
  automations: [5, 10, 20].map((window) => ({
    name: `acc-${window}`,
    event: {
      type: 'OnRunMetric',
      scope: { entity: 'acme', project: 'vision' },
      filter: { type: 'MetricThresholdFilter', name: 'acc', window, agg: 'mean', cmp: '>', threshold: 0.6 },
    },
    action: { type: 'DoNothing' },
  })),
};

async function startWorker(nats: string, id: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, nats, id], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', () => reject(new Error('worker exited')));
  });
  return child;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Until every partition is owned and applied to its end (`owned` workers only, if given). */
async function caughtUp(nats: string, owners?: readonly string[]): Promise<void> {
  for (;;) {
    const s = await clusterStatus({ nats });
    if (
      s.byPartition.every(
        (p) => p.owner !== undefined && p.applied === p.lastSeq && (owners?.includes(p.owner) ?? true),
      )
    )
      return;
    await sleep(100);
  }
}

async function throughput(workers: number, stream: readonly unknown[]): Promise<Row[]> {
  const server = await startNatsServer();
  const children: ChildProcess[] = [];
  try {
    const nats = server.url;
    await initCluster({ nats, partitions: P, leaseTtlMs: 3000 });
    await pushDefinitions({ nats, automations });
    for (let i = 0; i < workers; i++) children.push(await startWorker(nats, `w${i}`));
    // Every partition owned before the clock starts (the fair share settles after joins).
    await caughtUp(nats);
    await sleep(1500);
    const pid = server.process.pid as number;
    const cpu0 = {
      server: cpuSeconds(pid),
      workers: children.map((c) => cpuSeconds(c.pid as number)),
      producer: process.cpuUsage(),
    };
    const t0 = performance.now();
    await publishEvents({ nats, events: stream });
    const produced = performance.now();
    const producerCpu = process.cpuUsage(cpu0.producer);
    await caughtUp(nats);
    const seconds = (performance.now() - t0) / 1000;
    const n = stream.length;
    const us = (s: number) => (s * 1e6) / n;
    const workerCpu = children.reduce(
      (sum, c, i) => sum + cpuSeconds(c.pid as number) - (cpu0.workers[i] as number),
      0,
    );
    const name = `${workers} worker${workers === 1 ? '' : 's'}`;
    const row = (variant: string, value: number, unit: string): Row => ({
      scenario: 'cluster',
      variant: `${name}: ${variant}`,
      nsPerOp: value,
      opsPerSec: 0,
      unit,
    });
    return [
      row('events/s end to end', n / seconds, 'events/s'),
      row('events/s published', n / ((produced - t0) / 1000), 'events/s'),
      row('producer CPU', us((producerCpu.user + producerCpu.system) / 1e6), 'µs/event'),
      row('workers CPU', us(workerCpu), 'µs/event'),
      row('server CPU', us(cpuSeconds(pid) - cpu0.server), 'µs/event'),
    ];
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await server.stop();
  }
}

/** kill -9 one of two workers while events flow: time until its partitions are owned and consumed again. */
async function failover(leaseTtlMs: number, stream: readonly unknown[]): Promise<Row> {
  const server = await startNatsServer();
  const children: ChildProcess[] = [];
  try {
    const nats = server.url;
    await initCluster({ nats, partitions: P, leaseTtlMs });
    await pushDefinitions({ nats, automations });
    children.push(await startWorker(nats, 'a'), await startWorker(nats, 'b'));
    await publishEvents({ nats, events: stream.slice(0, 20_000) });
    for (;;) {
      const s = await clusterStatus({ nats });
      if (
        s.byPartition.every((p) => p.applied === p.lastSeq) &&
        s.workers.every((w) => w.partitions === P / 2)
      )
        break;
      await sleep(100);
    }
    const t0 = performance.now();
    children[0]?.kill('SIGKILL');
    await publishEvents({ nats, events: stream.slice(20_000, 30_000) });
    await caughtUp(nats, ['b']);
    return {
      scenario: 'cluster',
      variant: `failover, lease TTL ${leaseTtlMs} ms: kill -9 → owned and consumed`,
      nsPerOp: performance.now() - t0,
      opsPerSec: 0,
      unit: 'ms',
    };
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await server.stop();
  }
}

export async function clusterScenario(): Promise<Row[]> {
  const stream = events();
  const rows: Row[] = [];
  for (const w of [1, 2, 4]) rows.push(...(await throughput(w, stream)));
  rows.push(await failover(3000, stream), await failover(10_000, stream));
  return rows;
}
