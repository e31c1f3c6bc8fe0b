// `npm run bench [name…] [--json]`: every scenario but `cluster` unless named (about 15 minutes on 2 cores). Each
// scenario runs in a process of its own, so none inherits another's heap or compiled code (peer measured 5.6 µs a
// row alone and 10.8 after firehose in the same process); within a scenario, the variants are interleaved in that
// one process. BENCH_VALUES sets the firehose size (default 10^7 metric values; automations-scaling takes a fifth).
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { automationsScalingScenario } from './automations-scaling.js';
import { clusterScenario } from './cluster.js';
import { deliveryScenario } from './delivery.js';
import { firehoseScenario } from './firehose.js';
import { fleetScenario } from './fleet.js';
import { ingestScenario } from './ingest.js';
import { latencyScenario } from './latency.js';
import type { Row } from './measure.js';
import { memoryScenario } from './memory.js';
import { patternsScenario } from './patterns.js';
import { peerScenario } from './peer.js';
import { replayScenario } from './replay.js';
import { windowScenario } from './window.js';

const scenarios: Record<string, () => Row[] | Promise<Row[]>> = {
  window: windowScenario,
  ingest: ingestScenario,
  delivery: deliveryScenario,
  firehose: firehoseScenario,
  fleet: fleetScenario,
  'automations-scaling': automationsScalingScenario,
  peer: peerScenario,
  patterns: patternsScenario,
  latency: latencyScenario,
  memory: memoryScenario,
  cluster: clusterScenario,
  replay: replayScenario,
};
/** Run by name only: cluster needs nats-server and starts worker processes. Memory (10^6 runs) and replay (1 GB) run
 * by default, so one `npm run bench` prints every target of issue 18. */
const ON_REQUEST = new Set(['cluster']);
const args = process.argv.slice(2);
const json = args.includes('--json');
const chosen = args.filter((a) => !a.startsWith('--'));
const names = chosen.length > 0 ? chosen : Object.keys(scenarios).filter((n) => !ON_REQUEST.has(n));

/** Run one scenario in a fresh process with this one's flags, and take its rows as JSON. */
function isolated(name: string): Row[] {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, process.argv[1] as string, name, '--json'],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (child.status !== 0) {
    console.error(`scenario ${name} failed (exit ${child.status ?? child.signal})`);
    process.exit(1);
  }
  return (JSON.parse(child.stdout) as { rows: Row[] }).rows;
}

for (const name of names) {
  if (scenarios[name] === undefined) {
    console.error(`unknown scenario ${name}; choose from ${Object.keys(scenarios).join(', ')}`);
    process.exit(2);
  }
}
const started = process.hrtime.bigint();
const rows: Row[] = [];
for (const name of names) {
  const scenario = scenarios[name] as () => Row[] | Promise<Row[]>;
  rows.push(...(names.length === 1 ? await scenario() : isolated(name)));
}

if (json) {
  console.log(JSON.stringify({ node: process.version, cpu: cpus()[0]?.model, rows }, null, 2));
} else {
  const minutes = Number(process.hrtime.bigint() - started) / 6e10;
  console.log(
    `node ${process.version} · ${cpus()[0]?.model ?? 'cpu'} · best of interleaved rounds · ${minutes.toFixed(1)} min`,
  );
  const w = Math.max(...rows.map((r) => r.variant.length)) + 2;
  const number = (n: number): string =>
    n.toLocaleString(
      'en-US',
      Math.abs(n) < 100
        ? { minimumFractionDigits: 2, maximumFractionDigits: 2 }
        : { maximumFractionDigits: 0 },
    );
  const notes: string[] = [];
  let scenario = '';
  for (const r of rows) {
    if (r.scenario !== scenario) {
      scenario = r.scenario;
      console.log(`\n${scenario}`);
      console.log(`  ${'variant'.padEnd(w)} ${'ns/op'.padStart(10)} ${'ops/s or value'.padStart(20)}`);
    }
    // A row with a unit holds a plain value in nsPerOp: shown in the last column, with its unit.
    const ns = r.unit === undefined ? r.nsPerOp.toFixed(1) : '';
    const value =
      r.unit === undefined
        ? Math.round(r.opsPerSec).toLocaleString('en-US')
        : `${number(r.nsPerOp)} ${r.unit}`;
    const verdict = r.verdict === undefined ? '' : `  ${r.verdict === 'met' ? 'MET' : 'MISSED'}`;
    const mark = r.note === undefined ? '' : ` [${notes.push(`${r.variant}: ${r.note}`)}]`;
    console.log(`  ${(r.variant + mark).padEnd(w)} ${ns.padStart(10)} ${value.padStart(20)}${verdict}`);
  }
  if (notes.length > 0) console.log('');
  for (const [i, n] of notes.entries()) console.log(`[${i + 1}] ${n}`);
}
