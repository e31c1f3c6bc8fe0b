import {
  createEngine,
  DoNothing,
  type Engine,
  MetricChangeFilter,
  type MetricFilter,
  MetricThresholdFilter,
  MetricZScoreFilter,
  type NewAutomation,
  OnRunMetric,
} from '../src/index.js';
import { VirtualClock } from '../src/testing/index.js';

// Deterministic workloads shared by the scenarios: built once, outside every timed section, and reused by
// every variant so that all of them see the very same events.

/** 2026-01-01T00:00:00Z: every stream starts here, in event time. */
export const T0 = 1_767_225_600_000;
/** The engines' clock: after every event of every stream (none spans 30 days), as no event may be ahead of it. */
export const NOW = T0 + 30 * 24 * 3_600_000;
export const ENTITY = 'acme';

/** mulberry32: a small seeded PRNG, so every stream is the same on every machine and in every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A plain CloudEvent of type `run.metrics`, as a producer would send it. */
export type MetricsEvent = {
  readonly id: string;
  readonly source: string;
  readonly type: 'run.metrics';
  readonly time: number;
  readonly data: {
    readonly entity: string;
    readonly project: string;
    readonly runId: string;
    readonly step: number;
    readonly metrics: Record<string, number>;
  };
};

export type MetricStream = {
  readonly events: readonly MetricsEvent[];
  readonly runs: number;
  readonly projects: number;
  readonly metrics: number;
  /** Metric values in the stream: rows × metrics. */
  readonly values: number;
};

/** Each run logs this many rows: with windows of 5–50, most windows fill and evaluate. */
export const ROWS_PER_RUN = 50;
/** A value is a spike (3–4 instead of 0–1) with this probability: what the z-score and max filters catch. */
const SPIKE = 0.0005;

export const metricName = (m: number): string => `m${m}`;
export const projectName = (p: number): string => `p${p}`;

/**
 * `rows` rows of `metrics` values each, over `rows / ROWS_PER_RUN` runs spread over `projects` projects.
 * Runs are interleaved (row i belongs to run i mod runs, at step ⌊i / runs⌋), so every run is live at once, as
 * in a busy tracker; event time moves 1 ms a row. Values are uniform in [0, 1) with rare spikes.
 */
export function metricStream(options: {
  readonly rows: number;
  readonly projects: number;
  readonly metrics: number;
  readonly seed: number;
}): MetricStream {
  const { rows, projects, metrics } = options;
  const runs = Math.max(1, Math.floor(rows / ROWS_PER_RUN));
  const random = prng(options.seed);
  const names = Array.from({ length: metrics }, (_, m) => metricName(m));
  const runIds = Array.from({ length: runs }, (_, r) => `run-${r}`);
  const projectNames = Array.from({ length: projects }, (_, p) => projectName(p));
  const events: MetricsEvent[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const run = i % runs;
    const values: Record<string, number> = {};
    for (const name of names) {
      const x = random();
      values[name] = random() < SPIKE ? 3 + x : x;
    }
    const event: MetricsEvent = {
      id: `m-${options.seed}-${i}`,
      source: '/bench/tracker',
      type: 'run.metrics',
      time: T0 + i,
      data: {
        entity: ENTITY,
        project: projectNames[run % projects] as string,
        runId: runIds[run] as string,
        step: Math.floor(i / runs),
        metrics: values,
      },
    };
    // As a host receives it: parsed from JSON (objects built key by key above end up in V8's slow dictionary
    // mode, which no real producer's events are in).
    events[i] = JSON.parse(JSON.stringify(event)) as MetricsEvent;
  }
  return { events, runs, projects, metrics, values: rows * metrics };
}

/** One metric automation of a workload, with where it looks and how many values its window spans. */
export type MetricAutomation = {
  readonly name: string;
  readonly draft: NewAutomation;
  readonly project: number;
  readonly metric: number;
  /** The values its filter reads at once: window (threshold), current + prior (change), window + 1 (z-score). */
  readonly span: number;
};

/**
 * `count` automations, threshold / change / z-score in turn, windows 5–50, each on one (project, metric) pair:
 * automation i watches project i mod projects and metric ⌊i / projects⌋ mod metrics, so they spread over every
 * pair before any pair gets a second one. Thresholds are set so that about 1 % of evaluations match.
 */
export function metricAutomations(options: {
  readonly count: number;
  readonly projects: number;
  readonly metrics: number;
  readonly seed: number;
}): MetricAutomation[] {
  const random = prng(options.seed);
  const out: MetricAutomation[] = [];
  for (let i = 0; i < options.count; i++) {
    const project = i % options.projects;
    const metric = Math.floor(i / options.projects) % options.metrics;
    const name = metricName(metric);
    let filter: MetricFilter;
    let span: number;
    switch (i % 3) {
      case 0: {
        const window = 5 + Math.floor(random() * 46); // 5–50
        filter = MetricThresholdFilter({ name, window, agg: 'max', cmp: '>', threshold: 2 });
        span = window;
        break;
      }
      case 1: {
        const prior = 5 + Math.floor(random() * 41); // 5–45, so current + prior ≤ 50
        filter = MetricChangeFilter({
          name,
          currentWindow: 5,
          priorWindow: prior,
          changeType: 'relative',
          direction: 'increase',
          amount: 0.6,
        });
        span = 5 + prior;
        break;
      }
      default: {
        const window = 5 + Math.floor(random() * 45); // 5–49, so window + 1 ≤ 50
        filter = MetricZScoreFilter({ name, window, threshold: 4, direction: 'any' });
        span = window + 1;
      }
    }
    const auto = `bench-${i}`;
    out.push({
      name: auto,
      draft: OnRunMetric({ scope: `${ENTITY}/${projectName(project)}`, filter }).do(DoNothing()),
      project,
      metric,
      span,
    });
  }
  return out;
}

/**
 * An engine on virtual time with these automations saved (default cooldown: 24 h per automation and run);
 * `historyLimit` bounds the delivery history it keeps (default 10,000 finished firings).
 */
export function engineWith(
  automations: readonly MetricAutomation[],
  cooldownMs?: number,
  historyLimit?: number,
): Engine {
  const engine = createEngine({
    clock: new VirtualClock(NOW),
    ...(historyLimit !== undefined && { delivery: { historyLimit } }),
  });
  for (const a of automations) {
    engine.save(a.draft, { name: a.name, ...(cooldownMs !== undefined && { cooldownMs }) });
  }
  return engine;
}

/**
 * How many automations watch each value on average, and the mean span of the largest window over the series
 * the stream creates (a series exists for each run and watched metric): the `window` of the memory target.
 */
export function coverage(
  stream: MetricStream,
  automations: readonly MetricAutomation[],
): { matchesPerValue: number; maxMatches: number; series: number; meanSpan: number } {
  const watchers = new Map<number, number[]>();
  for (const a of automations) {
    const key = a.project * stream.metrics + a.metric;
    watchers.set(key, [...(watchers.get(key) ?? []), a.span]);
  }
  let matches = 0;
  let maxMatches = 0;
  let series = 0;
  let spans = 0;
  for (let p = 0; p < stream.projects; p++) {
    // Runs are dealt to projects in turn: project p has ⌈(runs − p) / projects⌉ of them.
    const runs = Math.ceil(Math.max(0, stream.runs - p) / stream.projects);
    for (let m = 0; m < stream.metrics; m++) {
      const w = watchers.get(p * stream.metrics + m) ?? [];
      matches += w.length * runs;
      maxMatches = Math.max(maxMatches, w.length);
      if (w.length > 0) {
        series += runs;
        spans += Math.max(...w) * runs;
      }
    }
  }
  return {
    matchesPerValue: matches / (stream.runs * stream.metrics),
    maxMatches,
    series,
    meanSpan: series === 0 ? 0 : spans / series,
  };
}
