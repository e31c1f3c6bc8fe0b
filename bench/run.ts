import { cpus } from 'node:os';
import { deliveryScenario } from './delivery.js';
import { ingestScenario } from './ingest.js';
import type { Row } from './measure.js';
import { memoryScenario } from './memory.js';
import { windowScenario } from './window.js';

const scenarios: Record<string, () => Row[] | Promise<Row[]>> = {
  window: windowScenario,
  ingest: ingestScenario,
  delivery: deliveryScenario,
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
  console.log(`node ${process.version} · ${cpus()[0]?.model ?? 'cpu'} · best of interleaved rounds\n`);
  const w = Math.max(...rows.map((r) => r.variant.length));
  console.log(
    `${'scenario'.padEnd(26)} ${'variant'.padEnd(w)} ${'ns/op'.padStart(10)} ${'ops/s'.padStart(14)}`,
  );
  for (const r of rows) {
    const ops = r.unit === undefined ? Math.round(r.opsPerSec).toLocaleString('en-US') : r.unit;
    console.log(
      `${r.scenario.padEnd(26)} ${r.variant.padEnd(w)} ${r.nsPerOp.toFixed(1).padStart(10)} ${ops.padStart(14)}`,
    );
  }
}
