// `npm run bench [name…] [--json]`: every scenario but `memory` unless named, variants interleaved in this one
// process. BENCH_VALUES sets the firehose size (default 10^7 metric values; automations-scaling takes a fifth).
import { cpus } from 'node:os';
import { automationsScalingScenario } from './automations-scaling.js';
import { deliveryScenario } from './delivery.js';
import { firehoseScenario } from './firehose.js';
import { ingestScenario } from './ingest.js';
import { latencyScenario } from './latency.js';
import type { Row } from './measure.js';
import { memoryScenario } from './memory.js';
import { patternsScenario } from './patterns.js';
import { peerScenario } from './peer.js';
import { windowScenario } from './window.js';

const scenarios: Record<string, () => Row[] | Promise<Row[]>> = {
  window: windowScenario,
  ingest: ingestScenario,
  delivery: deliveryScenario,
  firehose: firehoseScenario,
  'automations-scaling': automationsScalingScenario,
  peer: peerScenario,
  patterns: patternsScenario,
  latency: latencyScenario,
  memory: memoryScenario,
};
/** Run by name only: 10^6 runs take minutes. */
const ON_REQUEST = new Set(['memory']);
const args = process.argv.slice(2);
const json = args.includes('--json');
const chosen = args.filter((a) => !a.startsWith('--'));
const names = chosen.length > 0 ? chosen : Object.keys(scenarios).filter((n) => !ON_REQUEST.has(n));

const rows: Row[] = [];
for (const name of names) {
  const scenario = scenarios[name];
  if (scenario === undefined) {
    console.error(`unknown scenario ${name}; choose from ${Object.keys(scenarios).join(', ')}`);
    process.exit(2);
  }
  rows.push(...(await scenario()));
}

if (json) {
  console.log(JSON.stringify({ node: process.version, cpu: cpus()[0]?.model, rows }, null, 2));
} else {
  console.log(`node ${process.version} · ${cpus()[0]?.model ?? 'cpu'} · best of interleaved rounds`);
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
