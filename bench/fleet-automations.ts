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
import { ENTITIES, gpuMetric, PROJECTS } from './fleet-workload.js';
import { prng } from './workload.js';

// The fleet's automations (see fleet-workload.ts for its stream): entity and project scopes, a third narrowed by
// run-name patterns, alert families that many automations share with different thresholds.

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
