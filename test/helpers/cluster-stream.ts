// A deterministic stream and two definition sets for the cluster tests: thousands of runs, metric rows, state
// changes, artifact events, a few duplicates; the second set changes a filter, adds one and deletes one.
import { AUTOMATION_EXPORT_FORMAT } from '../../src/index.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A small seeded generator (mulberry32): the same stream on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type StreamOptions = { readonly runs: number; readonly rowsPerRun: number; readonly seed?: number };

/** Events in publishing order: runs interleaved, each with its metric rows, then a final state; some repeated. */
export function generateStream(options: StreamOptions): unknown[] {
  const rnd = random(options.seed ?? 7);
  const out: unknown[] = [];
  const projects = ['vision', 'nlp', 'speech'];
  const live: { runId: string; project: string; step: number }[] = [];
  let next = 0;
  let time = T0;
  let id = 0;
  const ev = (type: string, data: object): unknown => {
    time += 1000;
    return { specversion: '1.0', id: `e${id++}`, source: 'test/cluster', type, time, data };
  };
  while (next < options.runs || live.length > 0) {
    if (next < options.runs && (live.length < 200 || rnd() < 0.02)) {
      const project = projects[next % projects.length] as string;
      live.push({ runId: `run.${next}`, project, step: 0 });
      next += 1;
      continue;
    }
    const i = Math.floor(rnd() * live.length);
    const run = live[i] as { runId: string; project: string; step: number };
    const data = { entity: 'acme', project: run.project, runId: run.runId };
    if (run.step < options.rowsPerRun) {
      const acc = Math.round(rnd() * 1000) / 1000;
      const e = ev('run.metrics', { ...data, step: run.step++, metrics: { acc, loss: 1 - acc } });
      out.push(e);
      if (rnd() < 0.01) out.push(e);
    } else {
      out.push(ev('run.state', { ...data, state: rnd() < 0.3 ? 'failed' : 'finished' }));
      if (rnd() < 0.05)
        out.push(
          ev('artifact.created', { entity: 'acme', project: run.project, collection: 'models', version: id }),
        );
      live.splice(i, 1);
    }
  }
  return out;
}

const scope = (project: string) => ({ entity: 'acme', project });
const threshold = (name: string, window: number, cmp: string, value: number) => ({
  type: 'MetricThresholdFilter',
  name,
  window,
  agg: 'mean',
  cmp,
  threshold: value,
});
const metric = (project: string, filter: object) => ({ type: 'OnRunMetric', scope: scope(project), filter });
const nothing = { type: 'DoNothing' };

/** The first definitions: thresholds, a state trigger, an artifact trigger. */
export const DEFINITIONS_V1 = {
  format: AUTOMATION_EXPORT_FORMAT,
  version: 1,
  automations: [
    {
      id: 'acc-high',
      name: 'acc-high',
      event: metric('vision', threshold('acc', 3, '>', 0.8)),
      action: nothing,
      cooldownMs: 60_000,
    },
    {
      id: 'loss-high',
      name: 'loss-high',
      event: metric('nlp', threshold('loss', 2, '>', 0.7)),
      action: nothing,
      cooldownMs: 0,
    },
    {
      id: 'failed',
      name: 'failed',
      event: { type: 'OnRunState', scope: { entity: 'acme' }, states: ['failed'] },
      action: nothing,
    },
    {
      id: 'models',
      name: 'models',
      event: { type: 'OnCreateArtifact', scope: scope('speech') },
      action: nothing,
    },
  ],
};

/** Mid-stream: one filter changed (its windows restart), one automation added, one deleted. */
export const DEFINITIONS_V2 = {
  format: AUTOMATION_EXPORT_FORMAT,
  version: 1,
  automations: [
    {
      id: 'acc-high',
      name: 'acc-high',
      event: metric('vision', threshold('acc', 2, '>', 0.7)),
      action: nothing,
      cooldownMs: 60_000,
    },
    {
      id: 'loss-high',
      name: 'loss-high',
      event: metric('nlp', threshold('loss', 2, '>', 0.7)),
      action: nothing,
      cooldownMs: 0,
    },
    {
      id: 'failed',
      name: 'failed',
      event: { type: 'OnRunState', scope: { entity: 'acme' }, states: ['failed'] },
      action: nothing,
    },
    {
      id: 'speech-acc',
      name: 'speech-acc',
      event: metric('speech', threshold('acc', 1, '<', 0.1)),
      action: nothing,
      cooldownMs: 0,
    },
  ],
};
