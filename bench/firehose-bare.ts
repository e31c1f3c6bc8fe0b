import { isProxy } from 'node:util/types';
import { hasGetter } from '../src/definitions/accessors.js';
import { type MetricAutomation, type MetricStream, metricName, projectName } from './workload.js';

// The loops the firehose scenario compares the engine with: none has the engine's guarantees.

/** Values in the bare loop as in `window` (repeated to make a pass long enough to time). */
export const BARE_VALUES = 1_000_000;
export const BARE_REPEATS = 10;
export const BARE_WINDOW = 50;

/**
 * The practical limit for this very job, with none of the engine's guarantees (no validation, duplicate or
 * step checks, evidence, cooldown): per row a Map lookup of the run's series, and per watched value a ring write,
 * a running sum and a compare.
 */
export function bareRows(stream: MetricStream, automations: readonly MetricAutomation[]): () => number {
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

/**
 * The floor any engine under this project's input rules pays before it does anything: reading every row as the
 * fast path must (each object a plain one, every key checked to be a data property before its value is read,
 * own names counted to refuse hidden ones), and nothing else: no validation of values, no state.
 */
export function safeRead(stream: MetricStream): () => number {
  const plain = (o: unknown): o is Record<string, unknown> => {
    if (typeof o !== 'object' || o === null || isProxy(o) || Array.isArray(o)) return false;
    const proto: unknown = Object.getPrototypeOf(o);
    if (proto !== Object.prototype && proto !== null) return false;
    let n = 0;
    for (const key in o) {
      n += 1;
      if (hasGetter(o, key)) return false;
    }
    return Object.getOwnPropertyNames(o).length === n && Object.getOwnPropertySymbols(o).length === 0;
  };
  return () => {
    let sum = 0;
    for (const e of stream.events as readonly unknown[]) {
      if (!plain(e) || !plain(e['data'])) continue;
      const metrics = e['data']['metrics'];
      if (!plain(metrics)) continue;
      for (const key in metrics) {
        const v = metrics[key];
        if (typeof v === 'number') sum += v;
      }
    }
    return sum;
  };
}

/** The same loop as the `window` scenario's bare loop: ring write + running sum over a typed array. */
export function bareWindow(stream: MetricStream): () => number {
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
