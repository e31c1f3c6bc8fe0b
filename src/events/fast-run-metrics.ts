import { isProxy } from 'node:util/types';
import { hasGetter, readsAsData } from '../definitions/accessors.js';
import type { CloudEvent } from '../schema/cloud-event.js';
import { rfc3339 } from '../schema/cloud-event.js';
import { NON_FINITE, RUN_METRICS, type RunMetricsData } from '../schema/run-events.js';
import type { AcceptedEvent } from './parse-event.js';
import { utcTimeMs } from './utc-time.js';

/**
 * The fast path for the one event that comes at high rates: a `run.metrics` row of the usual shape. It accepts
 * only what the zod schemas accept, with the same output (a differential property checks both), and answers
 * `undefined` for anything else — extension attributes, unusual fields, more than 1,000 metrics, accessor
 * properties — which then takes the full path with its detailed issues.
 *
 * It copies nothing it can avoid: when every metric is a number, the row's own `data` and `metrics` objects are
 * read in place (every own property checked to be an enumerable data property first, so no getter ever runs),
 * and the normalised copy of the event that a firing carries is made only when something fires.
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

/**
 * The numbers of the last all-number row accepted, in the order of its `names`: what the handler would read out
 * of the row again, each read boxing a number. Valid while that row is the last one accepted (`valuesOf`).
 */
const read = new Float64Array(MAX_FAST_METRICS);
let readOf: object | undefined;

function owning<T extends object>(accepted: T): T {
  readOf = accepted;
  return accepted;
}

/** The row's metric values in `names` order, if it is still the last all-number row the fast path accepted. */
export function valuesOf(accepted: object): Float64Array | undefined {
  return accepted === readOf ? read : undefined;
}

type Plain = Record<string, unknown>;

/**
 * An event the package's own JSON.parse just made (the replay's reader): every property of it and of the objects
 * in it is an enumerable, string-keyed data property, so reading it runs no code and the accessor checks are
 * skipped. One object, for the next call only: the slot is emptied as soon as the fast path looks at it.
 */
let vouched: object | undefined;

/** Vouch that `event` came out of JSON.parse, untouched since: only the package's own readers may call this. */
export function fromJsonParse(event: object): void {
  vouched = event;
}

/** A plain object (no proxy, array or class instance), or undefined. A Proxy's traps are code: never run here. */
function plainObject(value: unknown): Plain | undefined {
  if (typeof value !== 'object' || value === null || isProxy(value) || Array.isArray(value)) return undefined;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null ? (value as Plain) : undefined;
}

const { getOwnPropertyNames, getOwnPropertySymbols } = Object;

/**
 * True when `object` has no own property but its `enumerable` string-keyed ones: no non-enumerable and no
 * symbol-keyed property, which the full path refuses (two counts, rather than a descriptor for every key).
 */
function onlyEnumerable(object: Plain, enumerable: number): boolean {
  return getOwnPropertyNames(object).length === enumerable && getOwnPropertySymbols(object).length === 0;
}

/** An enumerable key on Object.prototype would be read as a field of every row: such rows go the full way. */
function polluted(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

/**
 * How many keys `object` has, all from `allowed` and each an enumerable data property (an accessor would run
 * code); -1 otherwise. for-in lists no array, and with an unpolluted prototype it lists own keys only (and
 * allocates no key list).
 */
function plainKeys(object: Plain, allowed: ReadonlySet<string>, json: boolean): number {
  let n = 0;
  for (const key in object) {
    n += 1;
    if (!allowed.has(key) || (!json && !readsAsData(object, key))) return -1;
  }
  return json || onlyEnumerable(object, n) ? n : -1;
}

const text = (v: unknown, min: number, max: number): v is string =>
  typeof v === 'string' && v.length >= min && v.length <= max;
/** Absent, or `null`: an unset attribute (CloudEvents JSON format §2.2). */
const unset = (v: unknown): v is undefined | null => v === undefined || v === null;
const optionalText = (v: unknown, min: number, max: number): boolean => v === undefined || text(v, min, max);
const optionalAttribute = (v: unknown, min: number, max: number): boolean => unset(v) || text(v, min, max);
const name = (v: unknown): v is string => text(v, 1, 255) && !v.includes('/');
const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * An RFC 3339 time in epoch ms, or undefined if it is not one. Rows of a busy stream share their time text
 * (a millisecond holds many), so the last answer is kept; the usual form is read by hand (utc-time.ts).
 */
let lastTimeText: string | undefined;
let lastTimeMs: number | undefined;
export function rfc3339Ms(text: string): number | undefined {
  if (text !== lastTimeText) {
    lastTimeText = text;
    lastTimeMs = utcTimeMs(text) ?? (rfc3339.safeParse(text).success ? Date.parse(text) : undefined);
  }
  return lastTimeMs;
}

export function fastRunMetrics(input: unknown, now: () => number): AcceptedEvent | undefined {
  try {
    return fast(input, now);
  } catch {
    // Whatever made it throw, the full path reports it properly.
    return undefined;
  }
}

function fast(input: unknown, now: () => number): AcceptedEvent | undefined {
  const json = input === vouched;
  vouched = undefined;
  if (polluted()) return undefined;
  const e = plainObject(input);
  if (e === undefined || plainKeys(e, ENVELOPE, json) < 0 || e['type'] !== RUN_METRICS) return undefined;
  const { id, source, subject, time, specversion, sequence, dataschema, datacontenttype } = e;
  if (!text(id, 1, 1024) || !text(source, 1, 4096) || !optionalAttribute(subject, 1, 4096)) return undefined;
  if (!unset(specversion) && specversion !== '1.0') return undefined;
  if (!unset(sequence) && !count(sequence)) return undefined;
  if (!optionalAttribute(dataschema, 0, 4096) || !optionalAttribute(datacontenttype, 0, 1024))
    return undefined;
  let ms: number;
  if (unset(time)) ms = now();
  else if (typeof time === 'number' && Number.isSafeInteger(time) && time >= 0 && time <= 8.64e15) ms = time;
  else if (typeof time === 'string') {
    const parsed = rfc3339Ms(time);
    if (parsed === undefined) return undefined;
    ms = parsed;
  } else return undefined;
  const d = plainObject(e['data']);
  const dataKeys = d === undefined ? -1 : plainKeys(d, DATA, json);
  if (d === undefined || dataKeys < 0) return undefined;
  const { entity, project, runId, runName, user, step } = d;
  if (!name(entity) || !name(project) || !text(runId, 1, 255)) return undefined;
  if (!optionalText(runName, 0, 1024) || !optionalText(user, 1, 255) || (step !== undefined && !count(step)))
    return undefined;
  const raw = plainObject(d['metrics']);
  if (raw === undefined) return undefined;
  // One pass over the enumerable keys: each a data property with a number (or a non-finite spelling, or null).
  let n = 0;
  let numbers = true;
  // `read` is overwritten now: no earlier row owns it any more, whatever this one turns out to be.
  readOf = undefined;
  for (const key in raw) {
    if (++n > MAX_FAST_METRICS || key.length === 0 || key.length > 255) return undefined;
    // A setter alone reads as undefined, which no metric is: such a row goes the full way too.
    if (!json && hasGetter(raw, key)) return undefined;
    const v: unknown = raw[key];
    if (typeof v === 'number') {
      read[n - 1] = v;
      continue;
    }
    if ((typeof v === 'string' && Object.hasOwn(NON_FINITE, v)) || v === null) numbers = false;
    else return undefined;
  }
  // Every own string key was listed (so all are enumerable), in the order Object.keys gives, and none is a symbol.
  const names = getOwnPropertyNames(raw);
  if (names.length !== n || (!json && getOwnPropertySymbols(raw).length !== 0)) return undefined;
  // An all-number row whose data has no own key set to undefined is, field for field, what the schema gives:
  // read in place (as its metrics are), so the usual row allocates no data object.
  const defined = 4 + +(runName !== undefined) + +(user !== undefined) + +(step !== undefined);
  if (numbers && dataKeys === defined)
    return owning(new FastMetrics(e, d as unknown as RunMetricsData, ms, names));
  const m = numbers ? (raw as Record<string, number>) : normalised(raw, names);
  // The usual rows as literals: conditional spreads allocate an object each.
  const data: RunMetricsData =
    runName === undefined && user === undefined
      ? step === undefined
        ? { entity, project, runId, metrics: m }
        : { entity, project, runId, step, metrics: m }
      : {
          entity,
          project,
          runId,
          ...(runName !== undefined && { runName: runName as string }),
          ...(user !== undefined && { user: user as string }),
          ...(step !== undefined && { step }),
          metrics: m,
        };
  const accepted = new FastMetrics(e, data, ms, numbers ? names : undefined);
  return numbers ? owning(accepted) : accepted;
}

/** The metrics of a row with text or null among them, in a fresh object without a prototype (as the full path gives). */
function normalised(raw: Plain, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  for (let i = 0; i < names.length; i++) {
    const key = names[i] as string;
    const v = raw[key];
    if (typeof v === 'number') out[key] = v;
    else if (typeof v === 'string') out[key] = NON_FINITE[v] as number;
  }
  return out;
}

/** An accepted row whose normalised event is built on first use: only a firing or an issue asks for it. */
class FastMetrics {
  // Set in the constructor, not as field initialisers: one object per row, built by one straight function.
  readonly kind: 'run.metrics';
  readonly id: string;
  readonly source: string;
  readonly time: number;
  readonly data: RunMetricsData;
  readonly names: readonly string[] | undefined;
  readonly #envelope: Plain;
  #event: CloudEvent<RunMetricsData> | undefined;

  constructor(envelope: Plain, data: RunMetricsData, time: number, names: readonly string[] | undefined) {
    this.kind = 'run.metrics';
    this.#envelope = envelope;
    this.#event = undefined;
    this.id = envelope['id'] as string;
    this.source = envelope['source'] as string;
    this.data = data;
    this.time = time;
    this.names = names;
  }

  get event(): CloudEvent<RunMetricsData> {
    if (this.#event === undefined) {
      // Every property was checked to be an own data property, so assign() runs no code.
      const { entity, project, runId, runName, user, step } = this.data;
      const metrics: Record<string, number> = Object.assign(Object.create(null), this.data.metrics);
      // In the schema's order, as the full path gives it: the data may be the caller's own object, in its order.
      const data: RunMetricsData = {
        entity,
        project,
        runId,
        ...(runName !== undefined && { runName }),
        ...(user !== undefined && { user }),
        ...(step !== undefined && { step }),
        metrics,
      };
      const event: Plain = { ...this.#envelope, data };
      // A null attribute is unset: left out, as the full path leaves it out. Here, off the per-row path.
      for (const key of Object.keys(event)) if (event[key] === null) delete event[key];
      this.#event = event as CloudEvent<RunMetricsData>;
    }
    return this.#event;
  }
}
