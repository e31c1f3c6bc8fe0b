import { spawnSync } from 'node:child_process';
import {
  createEngine,
  DoNothing,
  type Engine,
  type NewAutomation,
  OnRunMetric,
  RunEvent,
} from '../src/index.js';
import { VirtualClock } from '../src/testing/index.js';
import { heap, type Row, rateRow, targetRow, valueRow } from './measure.js';
import { prng } from './workload.js';

/** Sizes run by default, each in a process of its own so that their heaps never mix. MEMORY_RUNS=n runs one. */
const SIZES = [100_000, 1_000_000];
const ROWS_PER_RUN = 4;
/** Runs live at once: their rows interleave, as in a busy tracker. */
const LIVE = 1_000;
const PROJECTS = 10;
const BATCH_ROWS = 2_000;
const TARGET_BYTES = 8 * 1024;
const TARGET_SLOWDOWN = 2;
const T0 = 1_767_225_600_000;
const NOW = T0 + 30 * 24 * 3_600_000;

/** Twelve metrics a run logs every row, training and system ones. */
const METRICS = [
  'loss',
  'val_loss',
  'acc',
  'val_acc',
  'lr',
  'grad_norm',
  'gpu.0.util',
  'gpu.0.mem',
  'gpu.0.temp',
  'gpu.1.util',
  'cpu',
  'throughput',
] as const;

/**
 * Entity-scope automations on every metric, windows 5 to 100: thresholds on mean, min, max and the value, a
 * change and two z-scores. Only `lr` matches, rarely (about 1 run in 500 fires once), as real alerts do.
 */
export function automations(): NewAutomation[] {
  const m = (name: string) => RunEvent.metric(name);
  const filters = [
    m('loss').mean(10).gt(1e9),
    m('loss').zscore(50, { threshold: 50 }),
    m('val_loss').min(20).lt(-1),
    m('acc').max(100).gt(2),
    m('val_acc').mean(50).lt(-1),
    m('lr').lt(0.0005),
    m('grad_norm').max(5).gt(1e9),
    m('grad_norm').zscore(20, { threshold: 50 }),
    m('gpu.0.util').mean(10).gt(101),
    m('gpu.0.mem').max(20).gt(1e9),
    m('gpu.0.temp').mean(5).gt(1e9),
    m('gpu.1.util').mean(100).gt(1e9),
    m('cpu').min(50).lt(-1),
    m('throughput').decreasesBy({ frac: 2 }, { current: 10, prior: 10 }),
  ];
  return filters.map((filter) => OnRunMetric({ scope: 'acme', filter }).do(DoNothing()));
}

/** The rows of runs `[from, from + LIVE)`, interleaved, `BATCH_ROWS` at a time: built as they are ingested. */
export function* batches(runs: number, random: () => number): Generator<unknown[]> {
  let id = 0;
  let time = T0;
  let batch: unknown[] = [];
  for (let from = 0; from < runs; from += LIVE) {
    const to = Math.min(runs, from + LIVE);
    for (let step = 0; step < ROWS_PER_RUN; step++) {
      for (let r = from; r < to; r++) {
        batch.push({
          id: `e${id++}`,
          source: '/bench/tracker',
          type: 'run.metrics',
          time: time++,
          data: {
            entity: 'acme',
            project: `p${r % PROJECTS}`,
            runId: `run-${r}`,
            step,
            metrics: {
              loss: random(),
              val_loss: random(),
              acc: random(),
              val_acc: random(),
              lr: random(),
              grad_norm: random(),
              'gpu.0.util': random() * 100,
              'gpu.0.mem': random(),
              'gpu.0.temp': random() * 90,
              'gpu.1.util': random() * 100,
              cpu: random(),
              throughput: 1 + random(),
            },
          },
        });
        if (batch.length === BATCH_ROWS) {
          yield batch;
          batch = [];
        }
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/** One size in this process: heap and estimate per run with every window allocated, ingest rate, eviction. */
function measureSize(runs: number): Row[] {
  const scenario = `memory (${runs.toLocaleString('en-US')} runs × 12 watched series)`;
  const engine: Engine = createEngine({
    clock: new VirtualClock(NOW),
    retention: { runIdleMs: 24 * 3_600_000 },
  });
  automations().forEach((draft, i) => {
    engine.save(draft, { name: `a${i}` });
  });
  const random = prng(18);
  const base = heap();
  let ns = 0;
  for (const batch of batches(runs, random)) {
    const t0 = process.hrtime.bigint();
    engine.ingestBatch(batch);
    ns += Number(process.hrtime.bigint() - t0);
  }
  const full = heap();
  const stats = engine.stats();
  // Every series allocates its whole ring and aggregates on its first value: heap per run is that of full windows.
  if (stats.runs !== runs || stats.series !== runs * METRICS.length)
    throw new Error(`expected ${runs} runs of 12 series, got ${stats.runs} runs, ${stats.series} series`);
  // One event two days later: the next sweep releases every idle run.
  engine.ingest({
    id: 'late',
    source: '/bench/tracker',
    type: 'run.metrics',
    time: T0 + runs * ROWS_PER_RUN + 48 * 3_600_000,
    data: { entity: 'acme', project: 'other', runId: 'late', metrics: {} },
  });
  engine.sweep();
  const after = heap();
  const evicted = engine.stats().evictions;
  const values = runs * ROWS_PER_RUN * METRICS.length;
  return [
    valueRow(scenario, 'heap per run, windows allocated', (full - base) / runs, 'bytes'),
    valueRow(scenario, 'stats().bytesEstimate per run', stats.bytesEstimate / runs, 'bytes'),
    rateRow(scenario, 'ingest, values/s', ns, values),
    valueRow(
      scenario,
      `heap per run after eviction (${evicted.toLocaleString('en-US')} evicted)`,
      (after - base) / runs,
      'bytes',
    ),
  ];
}

/** A size in a fresh process (this file's own `MEMORY_RUNS` branch, through the bench runner). */
function isolatedSize(runs: number): Row[] {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, process.argv[1] as string, 'memory', '--json'],
    {
      encoding: 'utf8',
      env: { ...process.env, MEMORY_RUNS: String(runs) },
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (child.status !== 0)
    throw new Error(`memory at ${runs} runs failed (exit ${child.status ?? child.signal})`);
  return (JSON.parse(child.stdout) as { rows: Row[] }).rows;
}

/**
 * Bytes per run and ingest rate at 10^5 and 10^6 runs, each run 4 interleaved rows of 12 watched metrics
 * (windows 5–100), with their targets. MEMORY_RUNS=n measures only n runs, in this process.
 */
export function memoryScenario(): Row[] {
  const one = process.env['MEMORY_RUNS'];
  if (one !== undefined) return measureSize(Number(one));
  const rows = SIZES.flatMap(isolatedSize);
  const scenario = 'memory targets';
  const perRun = rows.filter((r) => r.variant.startsWith('heap per run, windows'));
  const rates = rows.filter((r) => r.variant.startsWith('ingest'));
  const largest = perRun[perRun.length - 1] as Row;
  const small = (rates[0] as Row).opsPerSec;
  const large = (rates[rates.length - 1] as Row).opsPerSec;
  return [
    ...rows,
    targetRow(
      scenario,
      '≤ 8 KB heap per run at 10^6 runs',
      largest.nsPerOp,
      'bytes',
      largest.nsPerOp <= TARGET_BYTES,
    ),
    targetRow(
      scenario,
      'values/s at 10^5 runs ÷ at 10^6 runs ≤ 2',
      small / large,
      '×',
      small / large <= TARGET_SLOWDOWN,
    ),
  ];
}
