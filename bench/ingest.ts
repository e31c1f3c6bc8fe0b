import {
  createEngine,
  DoNothing,
  MetricChangeFilter,
  MetricThresholdFilter,
  MetricZScoreFilter,
  OnRunMetric,
} from '../src/index.js';
import { VirtualClock } from '../src/testing/index.js';
import { measure, type Row } from './measure.js';
import { NOW } from './workload.js';

const RUNS = 1_000;
const METRICS = 20;
const ROWS = 20_000;

/** Rows of 20 metrics over 1,000 runs in 10 projects, 100 automations (threshold, change, z-score), windows 5–50. */
export function ingestScenario(): Row[] {
  const events: unknown[] = [];
  let x = 7;
  for (let i = 0; i < ROWS; i++) {
    const metrics: Record<string, number> = {};
    for (let m = 0; m < METRICS; m++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      metrics[`m${m}`] = x / 2147483648;
    }
    const run = i % RUNS;
    events.push({
      id: `e${i}`,
      source: '/bench',
      type: 'run.metrics',
      time: 1_767_225_600_000 + i,
      data: {
        entity: 'acme',
        project: `p${run % 10}`,
        runId: `r${run}`,
        step: Math.floor(i / RUNS),
        metrics,
      },
    });
  }
  const engineWith = () => {
    const engine = createEngine({ clock: new VirtualClock(NOW) });
    for (let a = 0; a < 100; a++) {
      const name = `m${a % METRICS}`;
      const window = 5 + (a % 46);
      const filter =
        a % 3 === 0
          ? MetricThresholdFilter({ name, window, agg: 'mean', cmp: '>', threshold: 0.99 })
          : a % 3 === 1
            ? MetricChangeFilter({
                name,
                currentWindow: 5,
                priorWindow: window,
                direction: 'increase',
                amount: 5,
              })
            : MetricZScoreFilter({ name, window, threshold: 6 });
      engine.save(OnRunMetric({ scope: `acme/p${a % 10}`, filter }).do(DoNothing()), { name: `a${a}` });
    }
    return engine;
  };
  return measure(
    'ingest (per metric value)',
    [
      { name: 'ingestBatch', ops: ROWS * METRICS, run: () => void engineWith().ingestBatch(events) },
      {
        name: 'ingest, one event at a time',
        ops: ROWS * METRICS,
        run() {
          const engine = engineWith();
          for (const e of events) engine.ingest(e);
        },
      },
    ],
    3,
  );
}
