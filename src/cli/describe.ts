import type { Automation, Evidence, Firing, Issue, MetricFilter, RunFilter, Scope } from '../index.js';

/** Four significant digits; NaN and ±Infinity by name. */
export function num(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x);
}

/** The run's name as its event gave it, else its id. */
export function runNameOf(f: Firing): string {
  const data = f.event.data as { readonly runName?: unknown } | undefined;
  return typeof data?.runName === 'string' ? data.runName : (f.runId ?? '');
}

/** Event time as RFC 3339 without milliseconds. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function duration(ms: number): string {
  if (ms === 0) return 'none';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

/** `[a, …, y, z] (n)`: the ends of a window, and how many values it holds. */
export function abbreviate(values: readonly number[]): string {
  const ends =
    values.length <= 3 ? values.map(num) : [num(values[0] ?? Number.NaN), '…', ...values.slice(-2).map(num)];
  return `[${ends.join(', ')}] (${values.length})`;
}

function bound(direction: string | undefined, amount: string): string {
  if (direction === 'increase') return `≥ +${amount}`;
  if (direction === 'decrease') return `≤ -${amount}`;
  if (direction === 'flat') return `|·| < ${amount}`;
  return `|·| ≥ ${amount}`;
}

/** `acme`, `acme/vision`, `acme/registry:model`, `acme/vision/resnet`. */
export function describeScope(s: Scope): string {
  if (s.type === 'entity') return s.entity;
  const parent = 'project' in s ? `${s.entity}/${s.project}` : `${s.entity}/registry:${s.registry}`;
  return s.type === 'collection' ? `${parent}/${s.collection}` : parent;
}

/** A filter in one line, e.g. `mean(5) accuracy > 0.9`. */
export function describeFilter(f: MetricFilter): string {
  switch (f.type) {
    case 'MetricThresholdFilter':
      return `${f.agg === undefined ? f.name : `${f.agg}(${f.window}) ${f.name}`} ${f.cmp} ${f.threshold}`;
    case 'MetricChangeFilter': {
      const amount = f.changeType === 'relative' ? `${f.amount * 100}%` : String(f.amount);
      return `${f.agg}(${f.currentWindow}) ${f.name} vs ${f.agg}(${f.priorWindow}) before: ${bound(f.direction, amount)}`;
    }
    case 'MetricZScoreFilter':
      return `z(${f.name}) over ${f.window}: ${bound(f.direction, String(f.threshold))}`;
    case 'MetricNonFiniteFilter':
      return `${f.name} is NaN or ±Infinity`;
  }
}

/** What made a firing true (`test`) and the values it looked at (`window`). */
export function describeEvidence(f: MetricFilter, e: Evidence): { test: string; window: string } {
  switch (f.type) {
    case 'MetricThresholdFilter':
      return {
        test: `${f.agg ?? 'value'} ${num(e.aggregate)} ${f.cmp} ${f.threshold}`,
        window: abbreviate(e.values),
      };
    case 'MetricChangeFilter': {
      const relative = f.changeType === 'relative';
      const change = e.change ?? Number.NaN;
      const shown = relative ? `${(change * 100).toFixed(1)}%` : num(change);
      const limit = bound(f.direction, relative ? `${f.amount * 100}%` : String(f.amount));
      return {
        test: `${f.agg} ${num(e.aggregate)} vs ${num(e.prior?.aggregate ?? Number.NaN)}: ${shown} ${limit}`,
        window: abbreviate(e.values),
      };
    }
    case 'MetricZScoreFilter':
      return {
        test: `z ${num(e.zscore ?? Number.NaN)} ${bound(f.direction, String(f.threshold))}, μ ${num(e.aggregate)}`,
        window: `${abbreviate(e.values)} → ${num(e.value)}`,
      };
    case 'MetricNonFiniteFilter':
      return { test: `value ${num(e.value)}`, window: `[${num(e.value)}]` };
  }
}

/** An issue in one line: code, field path, message. */
export function describeIssue(i: Issue): string {
  const path = i.path.length > 0 ? `${i.path.join('.')}: ` : '';
  return `${i.code} ${path}${i.message}${i.eventId === undefined ? '' : ` (event ${i.eventId})`}`;
}

/** What a firing was about (`subject`), why it fired (`why`) and the values it looked at (`window`), for any trigger. */
export function describeFiring(
  f: Firing,
  automation: Automation | undefined,
): { subject: string; why: string; window: string } {
  const event = automation?.event;
  if (f.evidence !== undefined && event?.type === 'OnRunMetric') {
    const { test, window } = describeEvidence(event.filter, f.evidence);
    return { subject: f.evidence.metric, why: test, window };
  }
  if (f.count !== undefined) {
    const c = f.count;
    const why = `${c.runs.length} runs ${f.transition?.to ?? ''} in ${duration(c.withinMs)} (≥ ${c.atLeast})`;
    return {
      subject: c.project ?? c.entity,
      why,
      window: c.runs.map((r) => r.runName ?? r.runId).join(', '),
    };
  }
  if (f.stall !== undefined) {
    const s = f.stall;
    return {
      subject: s.metric ?? 'rows',
      why: `silent ${duration(s.silentMs)} since ${isoTime(s.lastTime)}`,
      window: '',
    };
  }
  if (f.summary !== undefined) {
    const s = f.summary;
    const why = `${s.total} runs logged since ${isoTime(s.from)}`;
    return {
      subject: 'schedule',
      why,
      window: s.runs
        .slice(0, 3)
        .map((r) => r.runName ?? r.runId)
        .join(', '),
    };
  }
  if (f.transition !== undefined) {
    const from = f.transition.from === undefined ? '' : `${f.transition.from} → `;
    return { subject: 'state', why: `${from}${f.transition.to}`, window: '' };
  }
  if (f.artifact !== undefined) {
    const a = f.artifact;
    const place = [a.entity, 'project' in a ? a.project : `registry:${a.registry}`, a.collection].join('/');
    const version = a.version === undefined ? '' : `:v${a.version}`;
    const what = a.alias !== undefined ? `alias ${a.alias}` : a.tag !== undefined ? `tag ${a.tag}` : '';
    return { subject: `${place}${version}`, why: `${f.event.type} ${what}`.trim(), window: '' };
  }
  return { subject: f.event.subject ?? '', why: f.event.type, window: '' };
}

/** `{ user?, runName? }` as written, or undefined for none or a MongoDB-style expression. */
export function simpleRunFilter(
  f: RunFilter | undefined,
): { readonly user?: string; readonly runName?: string } | undefined {
  if (f === undefined) return undefined;
  const simple = Object.entries(f).every(
    ([k, v]) => (k === 'user' || k === 'runName') && typeof v === 'string',
  );
  return simple ? (f as { readonly user?: string; readonly runName?: string }) : undefined;
}
