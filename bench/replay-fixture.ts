import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { prng, T0 } from './workload.js';

// A realistic replay input: a W&B-like fleet logging interleaved run.metrics rows (training and per-GPU system
// metrics, 10–40 a row), with run.state events as runs start and end, and a few hundred metric automations.

const ENTITY = 'acme';
const PROJECTS = ['vision', 'nlp', 'speech', 'rl', 'recsys', 'diffusion', 'tabular', 'infra'];
const USERS = ['ana', 'bo', 'chen', 'dara', 'eli', 'femi', 'gus', 'hana'];
/** Runs logging at once. */
const LIVE_RUNS = 400;
const TRAIN = ['loss', 'accuracy', 'val/loss', 'val/accuracy', 'lr', 'grad_norm', 'epoch', 'throughput'];
const GPU = ['gpu', 'memory', 'temp', 'powerWatts'];
const SYSTEM = ['system/cpu', 'system/memory', 'system/disk', 'system/network.recv'];

type LiveRun = {
  readonly id: string;
  readonly name: string;
  readonly user: string;
  readonly project: string;
  readonly metrics: readonly string[];
  readonly rows: number;
  step: number;
  loss: number;
};

const round = (x: number): number => Math.round(x * 1e5) / 1e5;

/** The metric names a run logs: its training metrics, then system metrics for its GPUs; 10–40 in all. */
function metricsOf(random: () => number): string[] {
  const gpus = 1 + Math.floor(random() * 8);
  const names = TRAIN.slice(0, 4 + Math.floor(random() * 5));
  names.push(...SYSTEM.slice(0, 2 + Math.floor(random() * 3)));
  for (let g = 0; g < gpus && names.length + GPU.length <= 40; g++)
    for (const m of GPU) names.push(`system/gpu.${g}.${m}`);
  return names;
}

function value(run: LiveRun, metric: string, random: () => number): number {
  if (metric === 'loss' || metric === 'val/loss') {
    // A rare spike or NaN: what the z-score and non-finite automations are for.
    const r = random();
    if (r < 0.00002) return Number.NaN;
    return round(run.loss * (r < 0.0004 ? 4 : 0.95 + random() * 0.1));
  }
  if (metric.endsWith('accuracy')) return round(1 - run.loss / 3 + random() * 0.01);
  if (metric === 'lr') return round(3e-4 * (1 - run.step / (run.rows + 1)));
  if (metric === 'epoch') return Math.floor(run.step / 100);
  if (metric.endsWith('.temp')) return round(60 + random() * 25 + (random() < 0.001 ? 15 : 0));
  if (metric.endsWith('powerWatts')) return round(200 + random() * 150);
  return round(random() * 100);
}

/**
 * Write about `bytes` of JSON Lines to `path`: LIVE_RUNS runs logging interleaved (a random live run a row, one
 * second of event time apart on average), each 200–4,000 rows long, with a run.state at its start and end.
 * Returns the number of lines. Deterministic for a seed.
 */
export function writeEvents(path: string, bytes: number, seed = 18): number {
  const random = prng(seed);
  const fd = openSync(path, 'w');
  let written = 0;
  let lines = 0;
  let time = T0;
  let runNo = 0;
  let parts: string[] = [];
  let pending = 0;
  const emit = (event: object): void => {
    const text = `${JSON.stringify(event)}\n`;
    parts.push(text);
    pending += text.length;
    lines += 1;
    if (pending >= 1 << 22) flush();
  };
  const flush = (): void => {
    const chunk = parts.join('');
    writeSync(fd, chunk);
    written += Buffer.byteLength(chunk);
    parts = [];
    pending = 0;
  };
  const iso = (): string => new Date(time).toISOString();
  const state = (run: LiveRun, s: string): void =>
    emit({
      specversion: '1.0',
      id: `${run.id}-state-${s}`,
      source: `/${ENTITY}/${run.project}`,
      type: 'run.state',
      time: iso(),
      data: {
        entity: ENTITY,
        project: run.project,
        runId: run.id,
        runName: run.name,
        user: run.user,
        state: s,
      },
    });
  const start = (): LiveRun => {
    runNo += 1;
    const kind = random() < 0.3 ? 'sweep' : random() < 0.5 ? 'resnet50' : 'bert-base';
    const run: LiveRun = {
      id: `r${runNo.toString(36).padStart(6, '0')}`,
      name: `${kind}-${runNo}`,
      user: USERS[Math.floor(random() * USERS.length)] as string,
      project: PROJECTS[Math.floor(random() * PROJECTS.length)] as string,
      metrics: metricsOf(random),
      rows: 200 + Math.floor(random() * 3800),
      step: 0,
      loss: 2 + random(),
    };
    state(run, 'running');
    return run;
  };
  try {
    const live: LiveRun[] = [];
    for (let i = 0; i < LIVE_RUNS; i++) live.push(start());
    while (written + pending < bytes) {
      const i = Math.floor(random() * live.length);
      const run = live[i] as LiveRun;
      time += Math.floor(random() * 2000);
      const metrics: Record<string, number> = {};
      for (const m of run.metrics) metrics[m] = value(run, m, random);
      emit({
        specversion: '1.0',
        id: `${run.id}-m-${run.step}`,
        source: `/${ENTITY}/${run.project}`,
        type: 'run.metrics',
        time: iso(),
        data: {
          entity: ENTITY,
          project: run.project,
          runId: run.id,
          runName: run.name,
          user: run.user,
          step: run.step,
          metrics,
        },
      });
      run.step += 1;
      run.loss *= 0.9995;
      if (run.step >= run.rows) {
        state(run, random() < 0.05 ? 'failed' : 'finished');
        live[i] = start();
      }
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return lines;
}

/**
 * `count` metric automations over the fleet: thresholds (GPU temperature, loss, memory), changes (val/loss),
 * z-scores (loss, grad_norm) and non-finite checks, at entity and project scope, a third with a run-name
 * pattern, cooldowns of 0–1 h; a fifth send a (recorded) Slack notification. Few evaluations match.
 */
export function writeAutomations(path: string, count: number, seed = 18): void {
  const random = prng(seed);
  const out: object[] = [];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  for (let i = 0; i < count; i++) {
    const gpu = Math.floor(random() * 8);
    const window = 5 + Math.floor(random() * 46);
    let filter: object;
    switch (i % 6) {
      case 0:
        filter = {
          type: 'MetricThresholdFilter',
          name: `system/gpu.${gpu}.temp`,
          window: 5,
          agg: 'mean',
          cmp: '>',
          threshold: 83 + Math.floor(random() * 5),
        };
        break;
      case 1:
        filter = {
          type: 'MetricThresholdFilter',
          name: 'loss',
          window,
          agg: 'min',
          cmp: '>',
          threshold: 2.9,
        };
        break;
      case 2:
        filter = {
          type: 'MetricChangeFilter',
          name: 'val/loss',
          agg: 'mean',
          currentWindow: 5,
          priorWindow: window,
          changeType: 'relative',
          direction: 'increase',
          amount: 0.5,
        };
        break;
      case 3:
        filter = { type: 'MetricZScoreFilter', name: pick(['loss', 'grad_norm']), window, threshold: 5 };
        break;
      case 4:
        filter = { type: 'MetricNonFiniteFilter', name: pick(['loss', 'val/loss']) };
        break;
      default:
        filter = {
          type: 'MetricThresholdFilter',
          name: `system/gpu.${gpu}.memory`,
          window,
          agg: 'mean',
          cmp: '>',
          threshold: 99,
        };
    }
    const scope = random() < 0.3 ? ENTITY : `${ENTITY}/${pick(PROJECTS)}`;
    const runFilter = i % 3 === 0 ? { runName: pick(['^sweep-', '^resnet', 'bert', '-1\\d*$']) } : undefined;
    const notify = i % 5 === 0;
    out.push({
      name: `fleet-${i}`,
      cooldownMs: pick([0, 60_000, 600_000, 3_600_000]),
      event: { type: 'OnRunMetric', scope, filter, ...(runFilter !== undefined && { runFilter }) },
      action: notify
        ? {
            type: 'SendNotification',
            integration: 'slack',
            title: 'fleet',
            message: '${run_name}: ${metric_value}',
          }
        : { type: 'DoNothing' },
    });
  }
  writeFileSync(path, JSON.stringify(out, null, 2));
}
