import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, OnRunMetric, RunEvent, SendWebhook } from '../src/index.js';
import type { Transport } from '../src/sinks/http/http-request.js';
import { WebhookIntegration } from '../src/sinks/http/integrations.js';
import type { Row } from './measure.js';

const SCENARIO = 'delivery (loopback HTTP)';
const BURST = 2_000;
/** Bursts through an in-memory transport: the engine's own cost per delivery, and how it grows with the queue. */
const MEMORY_BURSTS = [1_000, 4_000];
const SEQUENTIAL = 500;
const ROUNDS = 3;
const SECRET = `whsec_${Buffer.alloc(32, 0x61).toString('base64')}`;

/** A loopback receiver answering 204 once it has read the body, as a real one would. */
async function receiver(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
}

/** An engine on the system clock with one signed webhook automation; `latencies` gets ingest→delivered in ns. */
function engineFor(url: string, concurrency: number, transport?: Transport) {
  const engine = createEngine({
    integrations: { hook: WebhookIntegration({ url, secret: SECRET }) },
    delivery: { concurrency, ...(transport !== undefined && { transport }) },
  });
  engine.save(
    OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('loss').gt(0) }).do(
      SendWebhook({ integration: 'hook', payload: { run: '${run_id}', value: '${metric_value}' } }),
    ),
    { name: 'bench', cooldownMs: 0 },
  );
  const started = new Map<string, bigint>();
  const latencies: number[] = [];
  let waiting: { n: number; resolve: () => void } | undefined;
  engine.on('delivered', (record) => {
    const t0 = started.get(record.firingId);
    if (t0 !== undefined) latencies.push(Number(process.hrtime.bigint() - t0));
    if (waiting !== undefined && latencies.length >= waiting.n) waiting.resolve();
  });
  engine.on('dead-lettered', (letter) => {
    throw new Error(`bench delivery dead-lettered: ${letter.deadLetterReason}`);
  });
  let seq = 0;
  const fire = (): void => {
    const i = seq++;
    const t0 = process.hrtime.bigint();
    const firings = engine.ingest({
      id: `b${i}`,
      source: '/bench',
      type: 'run.metrics',
      data: { entity: 'acme', project: 'vision', runId: `r${i % 100}`, metrics: { loss: 1 + (i % 7) } },
    });
    for (const f of firings) started.set(f.id, t0);
  };
  const deliveredCount = (n: number): Promise<void> =>
    latencies.length >= n ? Promise.resolve() : new Promise((resolve) => (waiting = { n, resolve }));
  return { engine, fire, latencies, deliveredCount };
}

/** Fire `n` at once; ns from the first ingest to the last delivery. */
async function burst(
  url: string,
  concurrency: number,
  n: number,
  transport?: Transport,
): Promise<{ ns: number; latencies: number[] }> {
  const { engine, fire, latencies, deliveredCount } = engineFor(url, concurrency, transport);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fire();
  await deliveredCount(n);
  const ns = Number(process.hrtime.bigint() - t0);
  await engine.close();
  return { ns, latencies };
}

/** One firing at a time: the latency of a delivery nothing else is waiting behind. */
async function sequential(url: string, n: number): Promise<number[]> {
  const { engine, fire, latencies, deliveredCount } = engineFor(url, 8);
  for (let i = 0; i < n; i++) {
    fire();
    await deliveredCount(i + 1);
  }
  await engine.close();
  return latencies;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const latencyRow = (variant: string, ns: number): Row => ({
  scenario: SCENARIO,
  variant: `${variant} = ${(ns / 1e6).toFixed(3)} ms`,
  nsPerOp: ns,
  opsPerSec: 1e9 / ns,
});

/**
 * Firings per second through createEngine (system clock, signed WebhookIntegration) to a loopback receiver
 * answering 204, at concurrency 8 and 32; and ingest→delivered latency percentiles, timed here with hrtime.
 * Receiver and engine share this process, so the numbers include both sides' CPU.
 */
export async function deliveryScenario(): Promise<Row[]> {
  const { server, url } = await receiver();
  try {
    await burst(url, 8, 500); // warm-up: JIT, keep-alive sockets
    const best = new Map<number, { ns: number; latencies: number[] }>();
    for (let r = 0; r < ROUNDS; r++) {
      for (const c of [8, 32]) {
        const result = await burst(url, c, BURST);
        const prior = best.get(c);
        if (prior === undefined || result.ns < prior.ns) best.set(c, result);
      }
    }
    const rows: Row[] = [];
    for (const [c, { ns, latencies }] of best) {
      rows.push({
        scenario: SCENARIO,
        variant: `burst of ${BURST}, concurrency ${c}`,
        nsPerOp: ns / BURST,
        opsPerSec: (BURST * 1e9) / ns,
      });
      const sorted = [...latencies].sort((a, b) => a - b);
      rows.push(latencyRow(`  c${c} burst p50 latency`, percentile(sorted, 50)));
      rows.push(latencyRow(`  c${c} burst p99 latency`, percentile(sorted, 99)));
    }
    const memory: Transport = { send: async () => ({ status: 204, header: () => undefined }) };
    for (const n of MEMORY_BURSTS) {
      const { ns } = await burst(url, 8, n, memory);
      rows.push({
        scenario: SCENARIO,
        variant: `in-memory transport, burst of ${n}, c8`,
        nsPerOp: ns / n,
        opsPerSec: (n * 1e9) / ns,
      });
    }
    const alone = (await sequential(url, SEQUENTIAL)).sort((a, b) => a - b);
    rows.push(latencyRow('one at a time p50 latency', percentile(alone, 50)));
    rows.push(latencyRow('one at a time p99 latency', percentile(alone, 99)));
    return rows;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
