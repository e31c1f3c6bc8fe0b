import { DoNothing, MetricThresholdFilter, OnRunMetric } from '../src/index.js';
import { heap, type Row, valueRow } from './measure.js';
import { ENTITY, engineWith, metricAutomations, metricName, metricStream } from './workload.js';

const RATE = 20_000;
const SECONDS = 4;
const PROJECTS = 100;
const METRICS = 20;

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Rows of the firehose stream fed at a steady 20,000 events/s (setImmediate pacing: each turn ingests the rows
 * now due) into an engine with the firehose's 1,000 automations plus one entity-wide `m0 > -1` with no
 * cooldown, so every row fires. Latency: from the `ingest` call to that row's firing arriving on `firings$`.
 */
export async function latencyScenario(): Promise<Row[]> {
  const count = RATE * SECONDS;
  const stream = metricStream({ rows: count, projects: PROJECTS, metrics: METRICS, seed: 10 });
  const engine = engineWith(
    metricAutomations({ count: 1_000, projects: PROJECTS, metrics: METRICS, seed: 2 }),
  );
  engine.save(
    OnRunMetric({
      scope: ENTITY,
      filter: MetricThresholdFilter({ name: metricName(0), cmp: '>', threshold: -1 }),
    }).do(DoNothing()),
    { name: 'probe', cooldownMs: 0 },
  );
  // Warm-up on other rows, in a throwaway engine: the JIT has compiled the path before the first timed row.
  const warm = engineWith(metricAutomations({ count: 1_000, projects: PROJECTS, metrics: METRICS, seed: 2 }));
  warm.ingestBatch(metricStream({ rows: 20_000, projects: PROJECTS, metrics: METRICS, seed: 11 }).events);
  const latencies = new Float64Array(count).fill(Number.NaN);
  let current = -1;
  let started = 0n;
  engine.firings$.subscribe((f) => {
    // The row's first firing is its arrival; a row may fire other automations too.
    if (current >= 0 && f.automationName === 'probe') {
      latencies[current] = Number(process.hrtime.bigint() - started) / 1e3;
      current = -1;
    }
  });
  heap();
  const events = stream.events;
  let sent = 0;
  const t0 = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(count, Math.floor((Number(process.hrtime.bigint() - t0) / 1e9) * RATE));
      while (sent < due) {
        current = sent;
        started = process.hrtime.bigint();
        engine.ingest(events[sent]);
        sent++;
      }
      if (sent < count) setImmediate(tick);
      else resolve();
    };
    setImmediate(tick);
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await engine.close();
  if (latencies.some(Number.isNaN)) throw new Error('latency: a row did not fire its probe');
  const sorted = latencies.sort();
  const scenario = `latency (${count.toLocaleString('en-US')} rows of ${METRICS} metrics at ${RATE.toLocaleString('en-US')}/s, ingest → firings$)`;
  return [
    valueRow(scenario, 'achieved rate', count / seconds, 'events/s'),
    valueRow(scenario, 'p50', percentile(sorted, 50), 'µs'),
    valueRow(scenario, 'p99', percentile(sorted, 99), 'µs'),
    valueRow(scenario, 'p99.9', percentile(sorted, 99.9), 'µs'),
    valueRow(scenario, 'max', sorted[sorted.length - 1] ?? Number.NaN, 'µs'),
  ];
}
