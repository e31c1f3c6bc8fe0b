import { createEngine, DoNothing, OnRunMetric, RunEvent } from '../src/index.js';
import { VirtualClock } from '../src/testing/index.js';
import { heap, type Row } from './measure.js';
import { NOW } from './workload.js';

/**
 * Bytes per run: N runs each log 5 values of one watched metric (a mean(5) window), then event time moves
 * past the idle limit and the runs are evicted. RUNS=1000000 by default (env MEMORY_RUNS to change).
 */
export function memoryScenario(): Row[] {
  const runs = Number(process.env['MEMORY_RUNS'] ?? 1_000_000);
  const T0 = 1_767_225_600_000;
  const engine = createEngine({ clock: new VirtualClock(NOW), retention: { runIdleMs: 3_600_000 } });
  engine.save(
    OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('loss').mean(5).gt(1e9) }).do(DoNothing()),
    { name: 'a' },
  );
  const base = heap();
  const started = process.hrtime.bigint();
  const batch: unknown[] = [];
  let id = 0;
  for (let r = 0; r < runs; r++) {
    for (let s = 0; s < 5; s++) {
      batch.push({
        id: `e${id++}`,
        source: '/b',
        type: 'run.metrics',
        time: T0 + r,
        data: { entity: 'acme', project: 'vision', runId: `r${r}`, step: s, metrics: { loss: s } },
      });
    }
    if (batch.length >= 50_000) engine.ingestBatch(batch.splice(0));
  }
  engine.ingestBatch(batch.splice(0));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const full = heap();
  const estimate = engine.stats().bytesEstimate;
  // One event two hours later: the next sweep releases every idle run.
  engine.ingest({
    id: 'late',
    source: '/b',
    type: 'run.metrics',
    time: T0 + runs + 7_200_000,
    data: { entity: 'acme', project: 'other', runId: 'late', metrics: {} },
  });
  engine.sweep();
  const after = heap();
  const stats = engine.stats();
  const perRun = (full - base) / runs;
  return [
    {
      scenario: `memory (${runs.toLocaleString('en-US')} runs)`,
      variant: 'heap per run, windows full',
      nsPerOp: perRun,
      opsPerSec: 0,
      unit: 'bytes',
    },
    {
      scenario: `memory (${runs.toLocaleString('en-US')} runs)`,
      variant: 'stats().bytesEstimate per run',
      nsPerOp: estimate / runs,
      opsPerSec: 0,
      unit: 'bytes',
    },
    {
      scenario: `memory (${runs.toLocaleString('en-US')} runs)`,
      variant: `heap per run after eviction (${stats.evictions.toLocaleString('en-US')} evicted)`,
      nsPerOp: (after - base) / runs,
      opsPerSec: 0,
      unit: 'bytes',
    },
    {
      scenario: `memory (${runs.toLocaleString('en-US')} runs)`,
      variant: 'ingest ns per event while filling',
      nsPerOp: (seconds * 1e9) / (runs * 5),
      opsPerSec: (runs * 5) / seconds,
    },
  ];
}
