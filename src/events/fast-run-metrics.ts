import { isProxy } from 'node:util/types';
import { rfc3339 } from '../schema/cloud-event.js';
import { NON_FINITE, RUN_METRICS, type RunMetricsData } from '../schema/run-events.js';
import type { AcceptedEvent } from './parse-event.js';

/**
 * The fast path for the one event that comes at high rates: a `run.metrics` row of the usual shape. It accepts
 * only what the zod schemas accept, with the same output (a differential property checks both), and answers
 * `undefined` for anything else — extension attributes, unusual fields, more than 1,000 metrics, accessor
 * properties — which then takes the full path with its detailed issues.
 */
const ENVELOPE = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'data',
  'sequence',
  'dataschema',
  'datacontenttype',
]);
const DATA = new Set(['entity', 'project', 'runId', 'runName', 'user', 'step', 'metrics']);
/** Below the default size limit by construction: 1,000 names of ≤ 255 characters is far from 1 MiB. */
const MAX_FAST_METRICS = 1000;

type Plain = Record<string, unknown>;

/** Own data properties only (an accessor would run code), of a plain object, with keys from `allowed`. */
function plain(value: unknown, allowed: ReadonlySet<string> | undefined, maxKeys: number): Plain | undefined {
  // A Proxy's traps are code: never run them here; the full path refuses proxies without touching them.
  if (typeof value !== 'object' || value === null || isProxy(value) || Array.isArray(value)) return undefined;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = Object.keys(value);
  if (keys.length > maxKeys) return undefined;
  for (const key of keys) {
    if (allowed !== undefined && !allowed.has(key)) return undefined;
    const d = Object.getOwnPropertyDescriptor(value, key);
    if (d === undefined || !('value' in d)) return undefined;
  }
  return value as Plain;
}

const text = (v: unknown, min: number, max: number): v is string =>
  typeof v === 'string' && v.length >= min && v.length <= max;
const optionalText = (v: unknown, min: number, max: number): boolean => v === undefined || text(v, min, max);
const name = (v: unknown): v is string => text(v, 1, 255) && !v.includes('/');
const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function fastRunMetrics(input: unknown, now: () => number): AcceptedEvent | undefined {
  try {
    return fast(input, now);
  } catch {
    // Whatever made it throw, the full path reports it properly.
    return undefined;
  }
}

function fast(input: unknown, now: () => number): AcceptedEvent | undefined {
  const e = plain(input, ENVELOPE, ENVELOPE.size);
  if (e === undefined || e['type'] !== RUN_METRICS) return undefined;
  const { id, source, subject, time, specversion, sequence, dataschema, datacontenttype } = e;
  if (!text(id, 1, 1024) || !text(source, 1, 4096) || !optionalText(subject, 0, 4096)) return undefined;
  if (specversion !== undefined && specversion !== '1.0') return undefined;
  if (sequence !== undefined && !count(sequence)) return undefined;
  if (!optionalText(dataschema, 0, 4096) || !optionalText(datacontenttype, 0, 1024)) return undefined;
  let ms: number;
  if (time === undefined) ms = now();
  else if (typeof time === 'number' && Number.isSafeInteger(time) && time >= 0 && time <= 8.64e15) ms = time;
  else if (typeof time === 'string' && rfc3339.safeParse(time).success) ms = Date.parse(time);
  else return undefined;
  const d = plain(e['data'], DATA, DATA.size);
  if (d === undefined) return undefined;
  const { entity, project, runId, runName, user, step } = d;
  if (!name(entity) || !name(project) || !text(runId, 1, 255)) return undefined;
  if (!optionalText(runName, 0, 1024) || !optionalText(user, 1, 255) || (step !== undefined && !count(step)))
    return undefined;
  const raw = plain(d['metrics'], undefined, MAX_FAST_METRICS);
  if (raw === undefined) return undefined;
  const metrics: Record<string, number> = Object.create(null);
  for (const key in raw) {
    if (key.length === 0 || key.length > 255) return undefined;
    const v = raw[key];
    if (typeof v === 'number') metrics[key] = v;
    else if (typeof v === 'string' && Object.hasOwn(NON_FINITE, v)) metrics[key] = NON_FINITE[v] as number;
    else if (v !== null) return undefined;
  }
  const data: RunMetricsData = {
    entity,
    project,
    runId,
    ...(runName !== undefined && { runName: runName as string }),
    ...(user !== undefined && { user: user as string }),
    ...(step !== undefined && { step }),
    metrics,
  };
  return {
    kind: 'run.metrics',
    event: { ...(e as { id: string; source: string; type: string }), data },
    time: ms,
    data,
  };
}
