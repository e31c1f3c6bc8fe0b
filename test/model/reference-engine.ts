import { RE2JS } from 're2js';
import type { MetricFilter } from '../../src/index.js';

/**
 * The obviously-correct model of run metric automations: it keeps every value and recomputes every window
 * from scratch. Only what SEMANTICS.md §3 and §5 say, and nothing clever.
 */
export type ModelAutomation = {
  id: string;
  createdAt: number;
  scope: { entity: string; project?: string };
  filter: MetricFilter;
  runFilter?: { user?: string; runName?: string };
  cooldownMs: number;
  enabled: boolean;
  /** The automation sees only values logged after this ordinal (saved, enabled or given a new filter then). */
  epoch: number;
};

export type ModelRow = {
  entity: string;
  project: string;
  runId: string;
  runName?: string;
  user?: string;
  step?: number;
  time: number;
  metrics: Record<string, number>;
};

export type ModelFiring = {
  automationId: string;
  runId: string;
  metric: string;
  aggregate: number;
  change?: number;
  zscore?: number;
};

type Series = { values: { v: number; ord: number }[]; lastStep: number };

const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);

function aggregate(agg: string, xs: number[]): number {
  if (agg === 'min') return Math.min(...xs);
  if (agg === 'max') return Math.max(...xs);
  if (agg === 'sum') return sum(xs);
  return sum(xs) / xs.length;
}

function compare(x: number, cmp: string, t: number): boolean {
  return cmp === '>'
    ? x > t
    : cmp === '>='
      ? x >= t
      : cmp === '<'
        ? x < t
        : cmp === '<='
          ? x <= t
          : cmp === '=='
            ? x === t
            : x !== t;
}

function directed(d: number, direction: string, amount: number): boolean {
  return direction === 'increase'
    ? d >= amount
    : direction === 'decrease'
      ? d <= -amount
      : direction === 'flat'
        ? Math.abs(d) < amount
        : Math.abs(d) >= amount;
}

export class ReferenceEngine {
  automations: ModelAutomation[] = [];
  series = new Map<string, Series>();
  lastFired = new Map<string, number>();
  identity = new Map<string, { runName?: string; user?: string }>();
  /**
   * `automation id|run` → the ordinal before the first value of the run its run filter admitted, taken at each
   * metric row: values logged while a run filter excluded the run are in none of the automation's windows.
   */
  admitted = new Map<string, number>();
  ordinal = 0;
  suppressed = 0;
  stale = 0;

  watches(a: ModelAutomation, row: ModelRow, metric: string): boolean {
    const inScope =
      a.scope.entity === row.entity && (a.scope.project === undefined || a.scope.project === row.project);
    return a.enabled && inScope && a.filter.name === metric;
  }

  /** A `run.updated` event: the run takes the name and user it gives; run filters see them at its next row. */
  update(row: { entity: string; project: string; runId: string; runName?: string; user?: string }): void {
    const runKey = `${row.entity}/${row.project}/${row.runId}`;
    const who = this.identity.get(runKey) ?? {};
    if (row.runName !== undefined) who.runName = row.runName;
    if (row.user !== undefined) who.user = row.user;
    this.identity.set(runKey, who);
  }

  ingest(row: ModelRow): ModelFiring[] {
    const runKey = `${row.entity}/${row.project}/${row.runId}`;
    this.update(row);
    const who = this.identity.get(runKey) ?? {};
    for (const a of this.automations) {
      if (a.runFilter === undefined) continue;
      const key = `${a.id}|${runKey}`;
      const inScope =
        a.scope.entity === row.entity && (a.scope.project === undefined || a.scope.project === row.project);
      if (!a.enabled || !inScope || !this.runFilterHolds(a, who)) this.admitted.delete(key);
      else if (!this.admitted.has(key)) this.admitted.set(key, this.ordinal);
    }
    const out: ModelFiring[] = [];
    for (const [metric, value] of Object.entries(row.metrics)) {
      const watchers = this.automations
        .filter((a) => this.watches(a, row, metric))
        // Stable: equal ages stay in the order they were saved (the list's order), never by id text.
        .sort((x, y) => x.createdAt - y.createdAt);
      const key = `${runKey}#${metric}`;
      if (watchers.length === 0) continue;
      let s = this.series.get(key);
      if (s === undefined) {
        s = { values: [], lastStep: -1 };
        this.series.set(key, s);
      }
      if (row.step !== undefined) {
        if (s.lastStep >= row.step) {
          this.stale += 1;
          continue;
        }
        s.lastStep = row.step;
      }
      const finite = Number.isFinite(value);
      if (finite) s.values.push({ v: value, ord: ++this.ordinal });
      for (const a of watchers) {
        const since = a.runFilter === undefined ? a.epoch : this.admitted.get(`${a.id}|${runKey}`);
        if (since === undefined) continue;
        const from = Math.max(a.epoch, since);
        const seen = s.values.filter((x) => x.ord > from).map((x) => x.v);
        const hit = finite
          ? this.evaluate(a.filter, seen)
          : a.filter.type === 'MetricNonFiniteFilter'
            ? { aggregate: value }
            : undefined;
        if (hit === undefined || (finite && a.filter.type === 'MetricNonFiniteFilter')) continue;
        const ledger = `${a.id}|${runKey}`;
        const last = this.lastFired.get(ledger);
        if (a.cooldownMs > 0 && last !== undefined && row.time < last + a.cooldownMs) {
          this.suppressed += 1;
          continue;
        }
        if (a.cooldownMs > 0) this.lastFired.set(ledger, row.time);
        out.push({ automationId: a.id, runId: row.runId, metric, ...hit });
      }
    }
    return out;
  }

  runFilterHolds(a: ModelAutomation, who: { runName?: string; user?: string }): boolean {
    const f = a.runFilter;
    if (f?.user !== undefined && who.user !== f.user) return false;
    if (
      f?.runName !== undefined &&
      (who.runName === undefined || !RE2JS.compile(f.runName).test(who.runName))
    )
      return false;
    return true;
  }

  /** The filter over all the values the automation has seen (finite only), newest last. */
  evaluate(
    f: MetricFilter,
    xs: number[],
  ): Omit<ModelFiring, 'automationId' | 'runId' | 'metric'> | undefined {
    const n = xs.length;
    switch (f.type) {
      case 'MetricThresholdFilter': {
        if (n < f.window) return undefined;
        const x = f.agg === undefined ? (xs[n - 1] as number) : aggregate(f.agg, xs.slice(n - f.window));
        return compare(x, f.cmp, f.threshold) ? { aggregate: x } : undefined;
      }
      case 'MetricChangeFilter': {
        const c = f.currentWindow;
        const p = f.priorWindow;
        if (n < c + p) return undefined;
        const a = aggregate(f.agg, xs.slice(n - c));
        const b = aggregate(f.agg, xs.slice(n - c - p, n - c));
        if (f.changeType === 'relative' && b === 0) return undefined;
        const d = f.changeType === 'absolute' ? a - b : (a - b) / Math.abs(b);
        return directed(d, f.direction, f.amount) ? { aggregate: a, change: d } : undefined;
      }
      case 'MetricZScoreFilter': {
        const w = f.window;
        if (n < w + 1) return undefined;
        const x = xs[n - 1] as number;
        const base = xs.slice(n - 1 - w, n - 1);
        // z = (x − μ)/σ with population σ, written over sums: (w·x − S) / √(w·Q − S²).
        const S = sum(base);
        const Q = sum(base.map((v) => v * v));
        const N = w * x - S;
        const R = w * Q - S * S;
        let z: number;
        if (R > 0) z = N / Math.sqrt(R);
        else if (N === 0) return undefined;
        else z = N > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
        return directed(z, f.direction, f.threshold) ? { aggregate: S / w, zscore: z } : undefined;
      }
      case 'MetricNonFiniteFilter':
        return undefined;
    }
  }
}
