import { from } from 'rxjs';
import type { Engine } from '../src/index.js';
import { heap, measurePasses, type Row, rateRow, targetRow, used, valueRow } from './measure.js';
import {
  coverage,
  engineWith,
  type MetricAutomation,
  type MetricStream,
  metricAutomations,
  metricName,
  metricStream,
  projectName,
} from './workload.js';

const PROJECTS = 100;
const METRICS = 20;
const AUTOMATIONS = 1_000;
const TARGET_VALUES_PER_SEC = 5_000_000;
const TARGET_BARE_SHARE = 0.5;
/** Values in the bare loop as in `window` (repeated to make a pass long enough to time). */
const BARE_VALUES = 1_000_000;
const BARE_REPEATS = 10;
const BARE_WINDOW = 50;

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * The practical limit for this very job, with none of the engine's guarantees (no validation, duplicate or
 * step checks, evidence, cooldown): per row a Map lookup of the run's series, and per watched value a ring write,
 * a running sum and a compare.
 */
function bareRows(stream: MetricStream, automations: readonly MetricAutomation[]): () => number {
  const watched = new Map<string, { name: string; window: number }[]>();
  for (const a of automations) {
    const key = projectName(a.project);
    watched.set(key, [...(watched.get(key) ?? []), { name: metricName(a.metric), window: a.span }]);
  }
  return () => {
    type Series = { ring: Float64Array; count: number; sum: number };
    const runs = new Map<string, Series[]>();
    let matches = 0;
    for (const e of stream.events) {
      const watchers = watched.get(e.data.project);
      if (watchers === undefined) continue;
      let series = runs.get(e.data.runId);
      if (series === undefined) {
        series = watchers.map((w) => ({ ring: new Float64Array(w.window), count: 0, sum: 0 }));
        runs.set(e.data.runId, series);
      }
      for (let i = 0; i < watchers.length; i++) {
        const w = watchers[i] as { name: string; window: number };
        const s = series[i] as Series;
        const x = e.data.metrics[w.name] as number;
        const slot = s.count % w.window;
        s.sum += x - (s.ring[slot] as number);
        s.ring[slot] = x;
        s.count++;
        if (s.count >= w.window && s.sum > 0.7 * w.window) matches++;
      }
    }
    return matches;
  };
}

/** The same loop as the `window` scenario's bare loop: ring write + running sum over a typed array. */
function bareWindow(stream: MetricStream): () => number {
  const input = new Float64Array(BARE_VALUES);
  let k = 0;
  for (const e of stream.events) {
    for (const v of Object.values(e.data.metrics)) if (k < BARE_VALUES) input[k++] = v;
    if (k >= BARE_VALUES) break;
  }
  return () => {
    let s = 0;
    for (let r = 0; r < BARE_REPEATS; r++) {
      const ring = new Float64Array(BARE_WINDOW);
      for (let i = 0; i < BARE_VALUES; i++) {
        const slot = i % BARE_WINDOW;
        s += (input[i] as number) - (ring[slot] as number);
        ring[slot] = input[i] as number;
      }
    }
    return s;
  };
}

/**
 * 10,000 runs × 20 metrics (BENCH_VALUES values, default 10^7 = 500,000 rows; 50 rows a run), 1,000 automations
 * over 100 projects (threshold, change and z-score in turn, windows 5–50), through `ingestBatch`, `ingest` and
 * `connect(observable)`, interleaved; each pass on a fresh engine, after a full collection.
 */
export async function firehoseScenario(): Promise<Row[]> {
  const values = Number(process.env['BENCH_VALUES'] ?? 10_000_000);
  const stream = metricStream({
    rows: Math.round(values / METRICS),
    projects: PROJECTS,
    metrics: METRICS,
    seed: 1,
  });
  const automations = metricAutomations({
    count: AUTOMATIONS,
    projects: PROJECTS,
    metrics: METRICS,
    seed: 2,
  });
  const cover = coverage(stream, automations);
  const events = stream.events;
  const scenario = `firehose (${fmt(stream.values)} values, ${fmt(stream.runs)} runs, ${fmt(AUTOMATIONS)} automations)`;

  // Warm-up on a slice: the JIT sees every path before the first timed pass.
  const slice = events.slice(0, 20_000);
  engineWith(automations).ingestBatch(slice);
  const warm = engineWith(automations);
  for (const e of slice) warm.ingest(e);
  engineWith(automations).connect(from(slice));

  let base = 0;
  let engine: Engine | undefined;
  let withAutomations = { heap: 0, series: 0, firings: 0, suppressed: 0 };
  let intakeHeap = 0;
  const bare = bareRows(stream, automations);
  const window = bareWindow(stream);
  let sink = 0;
  const MEMORY = 'ingestBatch, delivery history off (the memory pass)';
  const timings = await measurePasses(
    [
      {
        name: 'ingestBatch',
        prepare() {
          const e = engineWith(automations);
          return () => void e.ingestBatch(events);
        },
      },
      {
        name: 'ingest, one event at a time',
        prepare() {
          const e = engineWith(automations);
          return () => {
            for (const event of events) e.ingest(event);
          };
        },
      },
      {
        name: 'connect(observable)',
        prepare() {
          const e = engineWith(automations);
          return () => void e.connect(from(events));
        },
      },
      {
        // The same pass with delivery.historyLimit 0: the default keeps the last 10,000 firings (with their events
        // and evidence) for history(), which is not series state.
        name: MEMORY,
        prepare() {
          base = used(); // measurePasses has just collected
          const e = engineWith(automations, undefined, 0);
          engine = e;
          return () => void e.ingestBatch(events);
        },
        after() {
          const s = (engine as Engine).stats();
          withAutomations = {
            heap: heap() - base,
            series: s.series,
            firings: s.firings,
            suppressed: s.suppressed,
          };
          engine = undefined;
        },
      },
      {
        name: 'ingestBatch, no automations (intake only)',
        prepare() {
          base = used();
          const e = engineWith([], undefined, 0);
          engine = e;
          return () => void e.ingestBatch(events);
        },
        after() {
          intakeHeap = heap() - base;
          engine = undefined;
        },
      },
      {
        name: 'bare loop over the same rows (Map lookup, ring, running sum, compare)',
        prepare: () => () => {
          sink += bare();
        },
      },
      {
        name: `bare loop as in \`window\` (ring write + running sum, window ${BARE_WINDOW})`,
        prepare: () => () => {
          sink += window();
        },
        repeat: 5,
      },
    ],
    { rounds: 3, budgetMs: 60_000 },
  );
  if (sink === 42) console.log(''); // keep the work observable

  const ns = (name: string): number => timings.get(name)?.ns ?? Number.NaN;
  const note = (name: string): string | undefined => timings.get(name)?.note;
  const rows: Row[] = [];
  for (const name of [
    'ingestBatch',
    'ingest, one event at a time',
    'connect(observable)',
    MEMORY,
    'ingestBatch, no automations (intake only)',
    'bare loop over the same rows (Map lookup, ring, running sum, compare)',
  ]) {
    rows.push(rateRow(scenario, `${name} (per value)`, ns(name), stream.values, note(name)));
  }
  const bareWindowName = `bare loop as in \`window\` (ring write + running sum, window ${BARE_WINDOW})`;
  rows.push(
    rateRow(scenario, `${bareWindowName} (per value)`, ns(bareWindowName), BARE_VALUES * BARE_REPEATS),
  );

  const batchRate = (stream.values * 1e9) / ns('ingestBatch');
  const bareRate = (BARE_VALUES * BARE_REPEATS * 1e9) / ns(bareWindowName);
  const rowsRate =
    (stream.values * 1e9) / ns('bare loop over the same rows (Map lookup, ring, running sum, compare)');
  const { heap: heapBytes, series, firings, suppressed } = withAutomations;
  const perSeries = heapBytes / series;
  // Seen ids and run records are per event and per run, not per series: the intake-only engine holds them too.
  const perSeriesLessIntake = (heapBytes - intakeHeap) / series;
  const allowance = 200 + 16 * cover.meanSpan;
  rows.push(
    valueRow(
      scenario,
      `firings/s, ingestBatch (${fmt(firings)} firings, ${fmt(suppressed)} held back by the cooldown)`,
      (firings * 1e9) / ns('ingestBatch'),
      'firings/s',
    ),
    valueRow(
      scenario,
      `memory per series: heapUsed + arrayBuffers delta after gc / stats().series (${fmt(series)})`,
      perSeries,
      'bytes',
    ),
    valueRow(
      scenario,
      'memory per series, less an engine without automations on the same events (seen ids, runs)',
      perSeriesLessIntake,
      'bytes',
    ),
    // The window loop reads a Float64Array and does nothing else: no event is read, so no engine can come near
    // it. The limit for this job is the bare loop over the same rows, which reads the same event objects.
    valueRow(
      scenario,
      'ingestBatch / bare loop as in `window` (no events read: not a limit for ingesting)',
      (100 * batchRate) / bareRate,
      '%',
    ),
    targetRow(
      scenario,
      `ingestBatch ≥ ${fmt(TARGET_VALUES_PER_SEC)} values/s`,
      batchRate,
      'values/s',
      batchRate >= TARGET_VALUES_PER_SEC,
    ),
    targetRow(
      scenario,
      `ingestBatch ≥ ${100 * TARGET_BARE_SHARE} % of the bare loop over the same rows`,
      (100 * batchRate) / rowsRate,
      '%',
      batchRate >= TARGET_BARE_SHARE * rowsRate,
    ),
    targetRow(
      scenario,
      `memory per series, less seen ids and runs, ≤ 200 + 16 × window bytes (mean largest window ${cover.meanSpan.toFixed(1)}: ${fmt(allowance)} bytes)`,
      perSeriesLessIntake,
      'bytes',
      perSeriesLessIntake <= allowance,
    ),
  );
  return rows;
}
