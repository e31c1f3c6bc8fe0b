// `node --import tsx bench/serve-http.ts [seconds]`: the service's intake rate over HTTP and its latency, with
// autocannon against `ml-automations serve` in a child process (its own core), state in a temp FileStateStore.
// Single events (application/cloudevents+json) and batches of 100 (application/cloudevents-batch+json); every 2xx
// waited for its checkpoint (group commit), as in production. With BENCH_NATS=nats://… (a cluster made by
// `cluster init`): serve in cluster mode, every 2xx waited for JetStream's acknowledgement.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const TOKEN = 'bench-token-0000000000';
const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = 32;
const BATCH = 100;

let n = 0;
const event = () => {
  const i = n++;
  return {
    specversion: '1.0',
    id: `e${i}`,
    source: '/bench',
    type: 'run.metrics',
    data: {
      entity: 'acme',
      project: 'vision',
      runId: `r${i % 1000}`,
      step: i,
      metrics: { loss: 1 / (1 + i), accuracy: (i % 100) / 100 },
    },
  };
};

async function run(url: string, name: string, type: string, body: () => string, perRequest: number) {
  const result = await autocannon({
    url: `${url}/events`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': type },
        setupRequest: (req) => ({ ...req, body: body() }),
      },
    ],
  });
  const ok = result['2xx'];
  console.log(
    `${name.padEnd(22)} ${(ok / result.duration).toFixed(0).padStart(7)} req/s  ${((ok * perRequest) / result.duration).toFixed(0).padStart(8)} events/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  non-2xx ${result.non2xx}  errors ${result.errors}`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'bench-serve-'));
const nats = process.env['BENCH_NATS'];
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    'src/cli/main.ts',
    'serve',
    '--port',
    '0',
    ...(nats === undefined ? ['--store', dir] : ['--nats', nats]),
    '--log-level',
    'warn',
    '--token-env',
    'BENCH_TOKEN',
    // The bench's one token must not hit the per-token rate limit (1000/s by default): it measures intake.
    '--token-rate',
    '1000000',
    '--token-burst',
    '1000000',
  ],
  { env: { ...process.env, BENCH_TOKEN: TOKEN }, stdio: ['ignore', 'ignore', 'pipe'] },
);
try {
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stderr.on('data', (d) => {
      text += String(d);
      const m = /listening on (\S+)/.exec(text);
      if (m) resolve(m[1] as string);
    });
    child.on('exit', () => reject(new Error(text)));
  });
  // One automation that watches every metric event, so each event is routed and evaluated.
  await fetch(`${url}/automations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'loss-low',
      event: {
        type: 'OnRunMetric',
        scope: 'acme/vision',
        filter: {
          type: 'MetricThresholdFilter',
          name: 'loss',
          window: 5,
          agg: 'mean',
          cmp: '<',
          threshold: 0.5,
        },
      },
      action: { type: 'DoNothing' },
    }),
  });
  console.log(
    `${CONNECTIONS} connections, ${SECONDS} s each, ${nats === undefined ? 'FileStateStore checkpoint' : "JetStream's acknowledgement"} before every answer`,
  );
  await run(url, 'single events', 'application/cloudevents+json', () => JSON.stringify(event()), 1);
  await run(
    url,
    `batches of ${BATCH}`,
    'application/cloudevents-batch+json',
    () => JSON.stringify(Array.from({ length: BATCH }, event)),
    BATCH,
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
