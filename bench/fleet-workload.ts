import {
  DoNothing,
  MetricChangeFilter,
  type MetricFilter,
  MetricNonFiniteFilter,
  MetricThresholdFilter,
  MetricZScoreFilter,
  type NewAutomation,
  OnRunMetric,
} from '../src/index.js';
import { prng, T0 } from './workload.js';

// A mixed fleet as a tracker sees it: runs of many lengths logging training and per-GPU system metrics,
// interleaved; automations at entity and project scope, a third narrowed by run-name patterns, many of them
// sharing a (metric, window) with different thresholds, as teams copy each other's alerts.

export const ENTITIES = ['acme', 'umbrella'] as const;
/** Projects per entity: acme has 30, umbrella 10. */
const PROJECTS = [30, 10] as const;
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

/** A fleet automation as plain data, so the bare loop can read it too. */
export type FleetAutomation = {
  readonly name: string;
  readonly entity: string;
  readonly project?: string;
  readonly filter: MetricFilter;
  readonly runName?: string;
  readonly draft: NewAutomation;
};

const PATTERNS = ['^sweep-', 'bert|gpt', '^prod-', 'nightly', '^(vit|resnet)', '-ft-', '^llama', 'large'];

/** One alert family: its metric and filter, given a pick in [0, 1) for the metric and one for the threshold. */
type Family = (metric: number, level: number) => MetricFilter;
const FAMILIES: readonly Family[] = [
  // GPU overheating: the hottest of the last 5 readings.
  (m, l) =>
    MetricThresholdFilter({
      name: gpuMetric(Math.floor(m * 8), 'temp'),
      window: 5,
      agg: 'max',
      cmp: '>',
      threshold: [90, 92, 94, 96][Math.floor(l * 4)] as number,
    }),
  // GPUs idling: mean utilisation over 20 readings.
  (m, l) =>
    MetricThresholdFilter({
      name: gpuMetric(Math.floor(m * 8), 'util'),
      window: 20,
      agg: 'mean',
      cmp: '<',
      threshold: [5, 10, 20][Math.floor(l * 3)] as number,
    }),
  // Power spikes.
  (m, l) =>
    MetricZScoreFilter({
      name: gpuMetric(Math.floor(m * 8), 'powerWatts'),
      window: 30,
      threshold: [5, 6, 7][Math.floor(l * 3)] as number,
      direction: 'increase',
    }),
  // Loss going the wrong way.
  (_m, l) =>
    MetricChangeFilter({
      name: 'train/loss',
      agg: 'mean',
      currentWindow: 5,
      priorWindow: 20,
      changeType: 'relative',
      direction: 'increase',
      amount: [0.5, 1, 2][Math.floor(l * 3)] as number,
    }),
  // Divergence.
  (m) => MetricNonFiniteFilter({ name: m < 0.5 ? 'train/loss' : 'grad_norm' }),
  // Gradient spikes.
  (_m, l) =>
    MetricZScoreFilter({
      name: 'grad_norm',
      window: 30,
      threshold: [6, 8, 10][Math.floor(l * 3)] as number,
      direction: 'any',
    }),
  // Validation loss high, late.
  (_m, l) =>
    MetricThresholdFilter({
      name: 'val/loss',
      cmp: '>',
      threshold: [3, 4, 5][Math.floor(l * 3)] as number,
    }),
  // Accuracy reached.
  (_m, l) =>
    MetricThresholdFilter({
      name: 'train/acc',
      window: 10,
      agg: 'mean',
      cmp: '>=',
      threshold: [0.9, 0.905, 0.91][Math.floor(l * 3)] as number,
    }),
  // CPU saturated: the busiest of the last 10 readings.
  (_m, l) =>
    MetricThresholdFilter({
      name: 'system/cpu',
      window: 10,
      agg: 'max',
      cmp: '>',
      threshold: [65, 67, 69][Math.floor(l * 3)] as number,
    }),
  // Memory plateaued (absolute, flat): a leak check that fires when usage stops moving.
  (_m, l) =>
    MetricChangeFilter({
      name: 'system/memory',
      agg: 'mean',
      currentWindow: 10,
      priorWindow: 20,
      changeType: 'absolute',
      direction: 'flat',
      amount: [0.005, 0.01, 0.015][Math.floor(l * 3)] as number,
    }),
];

/**
 * `count` automations: families in turn, three in ten entity-wide, the rest on a random project; with `patterns`,
 * every third one narrowed by a run-name pattern. Automation `name`s carry `prefix`, and with `elsewhere` their
 * scopes are entities the stream never names (what automations that match nothing cost).
 */
export function fleetAutomations(options: {
  readonly count: number;
  readonly seed: number;
  readonly patterns: boolean;
  readonly elsewhere?: boolean;
  readonly prefix?: string;
}): FleetAutomation[] {
  const random = prng(options.seed);
  const out: FleetAutomation[] = [];
  for (let i = 0; i < options.count; i++) {
    const e = random() < 0.75 ? 0 : 1;
    const entity = options.elsewhere === true ? `elsewhere-${i % 97}` : (ENTITIES[e] as string);
    const project = random() < 0.3 ? undefined : `p${Math.floor(random() * (PROJECTS[e] as number))}`;
    const filter = (FAMILIES[i % FAMILIES.length] as Family)(random(), random());
    const runName =
      options.patterns && i % 3 === 2 ? PATTERNS[Math.floor(random() * PATTERNS.length)] : undefined;
    const scope = project === undefined ? entity : `${entity}/${project}`;
    out.push({
      name: `${options.prefix ?? 'fleet'}-${i}`,
      entity,
      ...(project !== undefined && { project }),
      filter,
      ...(runName !== undefined && { runName }),
      draft: OnRunMetric({ scope, filter, ...(runName !== undefined && { runFilter: { runName } }) }).do(
        DoNothing(),
      ),
    });
  }
  return out;
}
