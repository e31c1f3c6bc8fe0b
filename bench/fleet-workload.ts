import { prng, T0 } from './workload.js';

// A mixed fleet as a tracker sees it: runs of many lengths logging training and per-GPU system metrics,
// interleaved; automations at entity and project scope, a third narrowed by run-name patterns, many of them
// sharing a (metric, window) with different thresholds, as teams copy each other's alerts.

export const ENTITIES = ['acme', 'umbrella'] as const;
/** Projects per entity: acme has 30, umbrella 10. */
export const PROJECTS = [30, 10] as const;
const NAMES = [
  'sweep',
  'bert-large',
  'gpt-small',
  'resnet50',
  'prod-nightly',
  'debug',
  'vit-b16',
  'llama-ft',
];
const USERS = ['ana', 'ben', 'chen', 'dana', 'eli'];
const GPUS = [1, 2, 4, 8] as const;
const GPU_METRICS = ['temp', 'powerWatts', 'util', 'memory'] as const;

export type FleetRow = {
  readonly id: string;
  readonly source: string;
  readonly type: 'run.metrics';
  readonly time: number;
  readonly data: {
    readonly entity: string;
    readonly project: string;
    readonly runId: string;
    readonly runName?: string;
    readonly user?: string;
    readonly step: number;
    readonly metrics: Record<string, number>;
  };
};

export type FleetStream = {
  readonly events: readonly FleetRow[];
  readonly runs: number;
  readonly rows: number;
  /** Metric values in the stream. */
  readonly values: number;
};

type LiveRun = {
  readonly entity: string;
  readonly project: string;
  readonly runId: string;
  readonly runName: string;
  readonly user: string;
  readonly names: readonly string[];
  readonly length: number;
  readonly diverges: number;
  readonly idle: boolean;
  readonly hot: boolean;
  step: number;
};

export const gpuMetric = (g: number, m: string): string => `system/gpu.${g}.${m}`;

/**
 * `runs` runs, `live` of them logging at once (each row is from a random live run; a finished run makes way for
 * the next), 10–400 rows each (mean about `meanRows`), 8–40 metrics a row: train/loss, train/acc, lr, grad_norm,
 * 4 metrics per GPU (1, 2, 4 or 8 GPUs), system/cpu and system/memory on multi-GPU runs, val/* every 5th step.
 * One run in 80 diverges (loss climbs, then a NaN); one in 120 idles its GPUs; one in 30 runs hot.
 */
export function fleetStream(options: {
  readonly runs: number;
  readonly live: number;
  readonly meanRows: number;
  readonly seed: number;
}): FleetStream {
  const random = prng(options.seed);
  const gauss = (): number => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  let started = 0;
  const start = (): LiveRun => {
    const e = random() < 0.75 ? 0 : 1;
    const project = `p${Math.floor(random() * (PROJECTS[e] as number))}`;
    const gpus = GPUS[Math.floor(random() * GPUS.length)] as number;
    const names = ['train/loss', 'train/acc', 'lr', 'grad_norm'];
    for (let g = 0; g < gpus; g++) for (const m of GPU_METRICS) names.push(gpuMetric(g, m));
    if (gpus > 1) names.push('system/cpu', 'system/memory');
    const length = Math.min(
      400,
      10 + Math.floor(-Math.log(Math.max(random(), 1e-9)) * (options.meanRows - 10)),
    );
    const n = started++;
    return {
      entity: ENTITIES[e] as string,
      project,
      runId: `run-${n}`,
      runName: `${NAMES[Math.floor(random() * NAMES.length)]}-${n}`,
      user: USERS[Math.floor(random() * USERS.length)] as string,
      names,
      length,
      diverges: random() < 1 / 80 ? Math.floor(length * (0.3 + 0.5 * random())) : -1,
      idle: random() < 1 / 120,
      hot: random() < 1 / 30,
      step: 0,
    };
  };
  const live: LiveRun[] = [];
  for (let i = 0; i < Math.min(options.live, options.runs); i++) live.push(start());
  const events: FleetRow[] = [];
  let values = 0;
  while (live.length > 0) {
    const k = Math.floor(random() * live.length);
    const run = live[k] as LiveRun;
    const step = run.step++;
    const metrics: Record<string, number> = {};
    const diverging = run.diverges >= 0 && step >= run.diverges;
    const loss = diverging
      ? 2 + (step - run.diverges) * 0.5
      : 0.3 + 2.2 * Math.exp(-step / 30) + 0.05 * gauss();
    for (const name of run.names) {
      let x: number;
      if (name === 'train/loss') x = diverging && step === run.diverges + 6 ? Number.NaN : loss;
      else if (name === 'train/acc') x = 1 - loss / 3 + 0.01 * gauss();
      else if (name === 'lr') x = 1e-3 * (0.5 + 0.5 * Math.cos((Math.PI * step) / run.length));
      else if (name === 'grad_norm') x = (random() < 0.002 ? 12 : 1) * Math.abs(1 + 0.2 * gauss());
      else if (name === 'system/cpu') x = 40 + 8 * gauss();
      else if (name === 'system/memory') x = 50 + 5 * gauss();
      else {
        const util = run.idle ? Math.abs(2 * gauss()) : Math.min(100, 92 + 4 * gauss());
        if (name.endsWith('.util')) x = util;
        else if (name.endsWith('.temp')) x = (run.hot ? 78 : 62) + util / 10 + 2 * gauss();
        else if (name.endsWith('.powerWatts')) x = 250 + util + 8 * gauss() + (random() < 0.001 ? 150 : 0);
        else x = 70 + 3 * gauss();
      }
      metrics[name] = x;
    }
    if (step % 5 === 4) {
      metrics['val/loss'] = loss + 0.1 + 0.05 * gauss();
      metrics['val/acc'] = 1 - loss / 3 - 0.02 + 0.01 * gauss();
    }
    values += Object.keys(metrics).length;
    const row = {
      id: `f-${options.seed}-${events.length}`,
      source: '/bench/fleet',
      type: 'run.metrics' as const,
      time: T0 + events.length,
      data: {
        entity: run.entity,
        project: run.project,
        runId: run.runId,
        // As the SDK does: the name and user on the run's first row, not on every row.
        ...(step === 0 && { runName: run.runName, user: run.user }),
        step,
        metrics,
      },
    };
    // Parsed from JSON, as a host receives it (and out of V8's dictionary mode); NaN is written "NaN", as JSON must.
    events.push(
      JSON.parse(JSON.stringify(row, (_k, v: unknown) => (Number.isNaN(v) ? 'NaN' : v))) as FleetRow,
    );
    if (run.step >= run.length) {
      if (started < options.runs) live[k] = start();
      else live.splice(k, 1);
    }
  }
  return { events, runs: started, rows: events.length, values };
}
