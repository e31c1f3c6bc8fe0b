// Writes runs.jsonl beside this file: four simulated training runs, seeded, so the output never changes.
// Run: npx tsx src/cli/example/generate.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SEED = 20260301;
const START = Date.parse('2026-03-01T10:00:00Z');
const ROW_MS = 30_000;
const SOURCE = '/acme/vision';

/** mulberry32: a tiny 32-bit PRNG, good enough for simulated noise and fully reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(SEED);
/** Standard normal noise (Box–Muller). */
const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const round = (x: number, digits = 4): number => Number(x.toFixed(digits));
const runId = (): string =>
  Math.floor(random() * 36 ** 8)
    .toString(36)
    .padStart(8, '0');

type MetricValue = number | 'NaN';
type Row = { readonly loss: MetricValue; readonly accuracy: number };
type RunSpec = {
  readonly runName: string;
  readonly user: string;
  /** Offset of the first row from START. */
  readonly offsetMs: number;
  readonly rows: number;
  /** `hang`: the run stops logging and never reports an end state. */
  readonly end: 'finished' | 'failed' | 'hang';
  readonly row: (step: number) => Row;
};

const runs: readonly RunSpec[] = [
  {
    // Healthy: loss decays steadily, accuracy climbs past 0.9.
    runName: 'resnet50-baseline',
    user: 'ana',
    offsetMs: 0,
    rows: 240,
    end: 'finished',
    row: (t) => ({
      loss: round((0.12 + 2.2 * Math.exp(-t / 55)) * (1 + 0.03 * gauss())),
      accuracy: round(Math.min(0.99, 0.1 + 0.84 * (1 - Math.exp(-t / 60)) + 0.004 * gauss())),
    }),
  },
  {
    // Learning rate too high: loss dips, then explodes from step 110 and turns NaN at step 150.
    runName: 'vit-b16-lr3e-3',
    user: 'bo',
    offsetMs: 5 * 60_000 + 10_000,
    rows: 156,
    end: 'failed',
    row: (t) => {
      const base = 1.3 + 1.0 * Math.exp(-t / 30);
      const blowUp = t < 110 ? 1 : 1.1 ** (t - 110);
      const accuracy =
        t < 110 ? 0.1 + 0.32 * (1 - Math.exp(-t / 35)) : Math.max(0.1, 0.42 - 0.01 * (t - 110));
      return {
        loss: t >= 150 ? 'NaN' : round(base * blowUp * (1 + 0.02 * gauss())),
        accuracy: round(accuracy + 0.004 * gauss()),
      };
    },
  },
  {
    // Plateau: a quick early drop, then flat around 0.85.
    runName: 'sweep-17',
    user: 'chen',
    offsetMs: 12 * 60_000 + 20_000,
    rows: 200,
    end: 'finished',
    row: (t) => ({
      loss: round(0.85 + 0.3 * Math.exp(-t / 5) + 0.01 * gauss()),
      accuracy: round(0.61 - 0.2 * Math.exp(-t / 5) + 0.005 * gauss()),
    }),
  },
  {
    // Learns well, then a bad shard sends the loss up sharply at step 160 and the run fails at step 175.
    runName: 'sweep-18',
    user: 'chen',
    offsetMs: 20 * 60_000 + 40_000,
    rows: 176,
    end: 'failed',
    row: (t) => {
      const spike = t >= 160 ? 2.6 + 0.15 * (t - 160) : 0;
      return {
        loss: round((0.35 + 1.8 * Math.exp(-t / 25) + spike) * (1 + 0.02 * gauss())),
        accuracy: round((t >= 160 ? 0.3 : 0.12 + 0.7 * (1 - Math.exp(-t / 30))) + 0.004 * gauss()),
      };
    },
  },
  {
    // Hangs: a data loader deadlocks after step 40; the process lives on, logs nothing and never ends.
    runName: 'efficientnet-b0',
    user: 'ana',
    offsetMs: 30 * 60_000 + 20_000,
    rows: 41,
    end: 'hang',
    row: (t) => ({
      loss: round((0.9 + 0.8 * Math.exp(-t / 40)) * (1 + 0.01 * gauss())),
      accuracy: round(0.2 + 0.3 * (1 - Math.exp(-t / 40)) + 0.003 * gauss()),
    }),
  },
];

type Timed = { readonly time: number; readonly order: number; readonly line: string };

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function event(id: string, type: string, time: number, data: Record<string, unknown>): string {
  return JSON.stringify({ specversion: '1.0', id, source: SOURCE, type, time: iso(time), data });
}

const timed: Timed[] = [];
const lineOf = new Map<string, string>();
runs.forEach((run, order) => {
  const id = runId();
  const who = { entity: 'acme', project: 'vision', runId: id, runName: run.runName, user: run.user };
  const start = START + run.offsetMs;
  timed.push({
    time: start,
    order,
    line: event(`${id}-state-0`, 'run.state', start, { ...who, state: 'running' }),
  });
  for (let step = 0; step < run.rows; step++) {
    const time = start + step * ROW_MS + 1_000; // rows land a second after the slot, after the state event
    const line = event(`${id}-m-${step}`, 'run.metrics', time, { ...who, step, metrics: run.row(step) });
    timed.push({ time, order, line });
    lineOf.set(`${run.runName}/${step}`, line);
  }
  if (run.end === 'hang') return;
  const end = start + run.rows * ROW_MS + 5_000;
  timed.push({
    time: end,
    order,
    line: event(`${id}-state-1`, 'run.state', end, { ...who, state: run.end }),
  });
});
timed.sort((a, b) => a.time - b.time || a.order - b.order);

const lines = timed.map((t) => t.line);
/** Insert `extra` right after the line `after`. */
function insertAfter(after: string, extra: string): void {
  lines.splice(lines.indexOf(after) + 1, 0, extra);
}
const rowLine = (name: string, step: number): string => lineOf.get(`${name}/${step}`) ?? '';

// Deliberate faults, so the demo shows how each is reported or skipped:
// 1. a line cut short by a log shipper (not JSON);
const cut = rowLine('sweep-17', 40);
insertAfter(rowLine('resnet50-baseline', 70), cut.slice(0, 120));
// 2. the same event delivered twice (at-least-once delivery upstream);
const dup = rowLine('resnet50-baseline', 90);
insertAfter(dup, dup);
// 3. a logger that wrote a number as text (the engine rejects the event);
const bad = JSON.parse(rowLine('vit-b16-lr3e-3', 60)) as { id: string; data: { metrics: Row } };
bad.id = `${bad.id}-eval`;
insertAfter(
  rowLine('vit-b16-lr3e-3', 60),
  JSON.stringify({ ...bad, data: { ...bad.data, metrics: { val_loss: '1.42' } } }),
);
// 4. a retried row re-sent late under a new id (its step is stale).
const late = JSON.parse(rowLine('sweep-18', 100)) as { id: string };
insertAfter(rowLine('sweep-18', 120), JSON.stringify({ ...late, id: `${late.id}-retry` }));

const out = fileURLToPath(new URL('./runs.jsonl', import.meta.url));
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length} lines to ${out}`);
