import type { MetricFilter } from '../src/index.js';
import type { FleetAutomation } from './fleet-automations.js';
import type { FleetStream } from './fleet-workload.js';

/** What the bare loop counts: filters evaluated with full windows, the matches, the firings (first match per run). */
export type BareTally = {
  evaluations: number;
  matches: number;
  firings: number;
  watching: number;
  series: number;
};

type Watcher = { readonly index: number; readonly filter: MetricFilter; readonly pattern?: RegExp };
type Run = {
  readonly series: Map<string, number[]>;
  readonly verdicts: Map<RegExp, boolean>;
  readonly fired: Set<number>;
  /** Metrics some automation watches and admits the run for: the series a run filter lets it keep. */
  readonly admitted: Set<string>;
  name: string | undefined;
};

const sumOf = (xs: readonly number[], from: number, to: number): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i] as number;
  return s;
};

function aggOf(agg: string, xs: readonly number[], from: number, to: number): number {
  if (agg === 'min' || agg === 'max') {
    let m = xs[from] as number;
    for (let i = from + 1; i < to; i++)
      m = agg === 'min' ? Math.min(m, xs[i] as number) : Math.max(m, xs[i] as number);
    return m;
  }
  const s = sumOf(xs, from, to);
  return agg === 'sum' ? s : s / (to - from);
}

function directed(d: number, direction: string, amount: number): boolean {
  if (direction === 'increase') return d >= amount;
  if (direction === 'decrease') return d <= -amount;
  if (direction === 'flat') return Math.abs(d) < amount;
  return Math.abs(d) >= amount;
}

/** undefined: windows not full; else whether it matches. Recomputes the window from the values each time. */
function evaluate(f: MetricFilter, xs: readonly number[]): boolean | undefined {
  const n = xs.length;
  switch (f.type) {
    case 'MetricThresholdFilter': {
      if (n < f.window) return undefined;
      const x = f.agg === undefined ? (xs[n - 1] as number) : aggOf(f.agg, xs, n - f.window, n);
      switch (f.cmp) {
        case '>':
          return x > f.threshold;
        case '>=':
          return x >= f.threshold;
        case '<':
          return x < f.threshold;
        case '<=':
          return x <= f.threshold;
        case '==':
          return x === f.threshold;
        default:
          return x !== f.threshold;
      }
    }
    case 'MetricChangeFilter': {
      const c = f.currentWindow;
      const p = f.priorWindow;
      if (n < c + p) return undefined;
      const a = aggOf(f.agg, xs, n - c, n);
      const b = aggOf(f.agg, xs, n - c - p, n - c);
      if (f.changeType === 'relative' && b === 0) return false;
      return directed(f.changeType === 'absolute' ? a - b : (a - b) / Math.abs(b), f.direction, f.amount);
    }
    case 'MetricZScoreFilter': {
      const w = f.window;
      if (n < w + 1) return undefined;
      const x = xs[n - 1] as number;
      let s = 0;
      let q = 0;
      for (let i = n - 1 - w; i < n - 1; i++) {
        const v = xs[i] as number;
        s += v;
        q += v * v;
      }
      const num = w * x - s;
      const rad = w * q - s * s;
      if (rad <= 0) return num !== 0 && directed(num > 0 ? Infinity : -Infinity, f.direction, f.threshold);
      return directed(num / Math.sqrt(rad), f.direction, f.threshold);
    }
    case 'MetricNonFiniteFilter':
      return undefined;
  }
}

/**
 * The same job as the engine, by hand and with none of its guarantees (no validation, duplicate or step checks,
 * evidence, snapshots): automations by scope and metric in nested maps, every series a plain array, every window
 * recomputed from it at each value, a run-name verdict per run and pattern, a firing per automation and run.
 */
export function bareFleet(stream: FleetStream, automations: readonly FleetAutomation[]): () => BareTally {
  const byScope = new Map<string, Map<string, Watcher[]>>();
  automations.forEach((a, index) => {
    const scope = a.project === undefined ? a.entity : `${a.entity}/${a.project}`;
    let metrics = byScope.get(scope);
    if (metrics === undefined) {
      metrics = new Map();
      byScope.set(scope, metrics);
    }
    const list = metrics.get(a.filter.name) ?? [];
    // Fixed patterns of the bench, not user input: a plain RegExp is the bare loop's fair choice.
    list.push({
      index,
      filter: a.filter,
      ...(a.runName !== undefined && { pattern: new RegExp(a.runName) }),
    });
    metrics.set(a.filter.name, list);
  });
  const none: Watcher[] = [];
  return () => {
    const tally: BareTally = { evaluations: 0, matches: 0, firings: 0, watching: 0, series: 0 };
    const runs = new Map<string, Run>();
    for (const e of stream.events) {
      const d = e.data;
      const inEntity = byScope.get(d.entity);
      const inProject = byScope.get(`${d.entity}/${d.project}`);
      if (inEntity === undefined && inProject === undefined) continue;
      const key = `${d.entity}/${d.project}/${d.runId}`;
      let run = runs.get(key);
      if (run === undefined) {
        run = {
          series: new Map(),
          verdicts: new Map(),
          fired: new Set(),
          admitted: new Set(),
          name: undefined,
        };
        runs.set(key, run);
      }
      if (d.runName !== undefined && d.runName !== run.name) {
        run.name = d.runName;
        run.verdicts.clear();
      }
      for (const metric in d.metrics) {
        const value = d.metrics[metric] as number;
        const lists = [inEntity?.get(metric) ?? none, inProject?.get(metric) ?? none];
        if (lists[0]?.length === 0 && lists[1]?.length === 0) continue;
        let xs = run.series.get(metric);
        if (xs === undefined) {
          xs = [];
          run.series.set(metric, xs);
        }
        let admitted = false;
        const finite = Number.isFinite(value);
        if (finite) xs.push(value);
        for (const list of lists) {
          for (const w of list) {
            tally.watching += 1;
            if (w.pattern !== undefined) {
              let ok = run.verdicts.get(w.pattern);
              if (ok === undefined) {
                ok = run.name !== undefined && w.pattern.test(run.name);
                run.verdicts.set(w.pattern, ok);
              }
              if (!ok) continue;
            }
            if (!admitted) {
              admitted = true;
              if (!run.admitted.has(metric)) {
                run.admitted.add(metric);
                tally.series += 1;
              }
            }
            const hit = finite
              ? evaluate(w.filter, xs)
              : w.filter.type === 'MetricNonFiniteFilter'
                ? true
                : undefined;
            if (hit === undefined) continue;
            tally.evaluations += 1;
            if (!hit) continue;
            tally.matches += 1;
            if (run.fired.has(w.index)) continue;
            run.fired.add(w.index);
            tally.firings += 1;
          }
        }
      }
    }
    return tally;
  };
}

/** Automations whose scope and metric cover each value, on average (run filters aside). */
export function watchersPerValue(stream: FleetStream, automations: readonly FleetAutomation[]): number {
  const count = new Map<string, number>();
  for (const a of automations) {
    const key = `${a.project === undefined ? a.entity : `${a.entity}/${a.project}`}\u0000${a.filter.name}`;
    count.set(key, (count.get(key) ?? 0) + 1);
  }
  let watching = 0;
  for (const e of stream.events) {
    const { entity, project } = e.data;
    for (const metric in e.data.metrics)
      watching +=
        (count.get(`${entity}\u0000${metric}`) ?? 0) +
        (count.get(`${entity}/${project}\u0000${metric}`) ?? 0);
  }
  return watching / stream.values;
}
