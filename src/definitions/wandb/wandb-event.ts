import type { IssuePath } from '../../errors/issue.js';
import { aliasPattern } from './wandb-artifact-filter.js';
import { type Json, WandbReader } from './wandb-reader.js';

const ARTIFACT_TRIGGERS: Readonly<Record<string, string>> = {
  CREATE_ARTIFACT: 'OnCreateArtifact',
  ADD_ARTIFACT_ALIAS: 'OnAddArtifactAlias',
  LINK_MODEL: 'OnLinkArtifact',
  LINK_ARTIFACT: 'OnLinkArtifact',
};
const METRIC_FILTERS: Readonly<Record<string, string>> = {
  RUN_METRIC: 'threshold_filter',
  RUN_METRIC_CHANGE: 'change_filter',
  RUN_METRIC_ZSCORE: 'zscore_filter',
};

/** Copies `from` keys to our names, leaving out null (W&B's "absent": our default applies). */
function renamed(
  r: WandbReader,
  given: Json,
  names: Readonly<Record<string, string>>,
  path: IssuePath,
): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(given)) {
    const ours = Object.hasOwn(names, key) ? names[key] : undefined;
    if (ours === undefined)
      r.fail([...path, key], `${key}: not a field of this W&B filter`, key, 'unrecognized_keys');
    else if (value !== null && ours !== '') out[ours] = value;
  }
  return out;
}

function metricFilter(r: WandbReader, kind: string, given: Json, path: IssuePath): Json {
  if (kind === 'threshold_filter') {
    const f = renamed(
      r,
      given,
      { name: 'name', agg_op: 'agg', window_size: 'window', cmp_op: 'cmp', threshold: 'threshold' },
      path,
    );
    // No aggregation compares the latest value: window 1, whatever window_size says (W&B ignores it too).
    if (f['agg'] === undefined) delete f['window'];
    return { type: 'MetricThresholdFilter', ...f };
  }
  if (kind === 'change_filter') {
    const names = {
      name: 'name',
      agg_op: 'agg',
      current_window_size: 'currentWindow',
      window_size: 'currentWindow',
      prior_window_size: 'priorWindow',
      change_type: 'changeType',
      change_dir: 'direction',
      change_amount: 'amount',
      cmp_op: '',
    };
    return { type: 'MetricChangeFilter', ...renamed(r, given, names, path) };
  }
  const names = { name: 'name', window_size: 'window', threshold: 'threshold', change_dir: 'direction' };
  return { type: 'MetricZScoreFilter', ...renamed(r, given, names, path) };
}

/** `run_filter`: a JSON string of W&B's MongoDB-style filter; `{ "$and": [] }` is no filter. */
function runFilter(r: WandbReader, f: Json, path: IssuePath): Json | undefined {
  const raw = WandbReader.get(f, 'run_filter');
  if (raw === undefined) return undefined;
  const parsed = r.parsed(raw, [...path, 'run_filter'], 'run_filter');
  if (parsed === undefined) return undefined;
  const keys = Object.keys(parsed);
  const and = parsed['$and'];
  if (keys.length === 0 || (keys.length === 1 && Array.isArray(and) && and.length === 0)) return undefined;
  return parsed;
}

/**
 * Our trigger for W&B's `triggeringEventType` (or a saved trigger's `eventType`) and its event filter; undefined
 * when a part cannot be expressed (the reader holds the issues).
 */
export function wandbTrigger(
  r: WandbReader,
  eventType: string,
  rawFilter: unknown,
  scope: unknown,
  paths: { readonly type: IssuePath; readonly filter: IssuePath },
): Json | undefined {
  const type = eventType.toUpperCase();
  const filterPath = paths.filter;
  const f = r.parsed(rawFilter ?? '{}', filterPath, 'the event filter');
  if (f === undefined) return undefined;
  const artifact = Object.hasOwn(ARTIFACT_TRIGGERS, type) ? ARTIFACT_TRIGGERS[type] : undefined;
  if (artifact !== undefined) {
    const alias = aliasPattern(r, f, filterPath);
    return { type: artifact, scope, ...(alias !== undefined && { alias }) };
  }
  if (type === 'RUN_STATE') {
    const state = WandbReader.get(f, 'run_state_filter');
    const states = typeof state === 'object' && state !== null ? (state as Json)['states'] : undefined;
    const rf = runFilter(r, f, filterPath);
    if (states === undefined)
      return r.fail(
        [...filterPath, 'run_state_filter'],
        'run_state_filter.states is missing',
        state,
        'invalid_type',
      );
    return { type: 'OnRunState', scope, states, ...(rf !== undefined && { runFilter: rf }) };
  }
  const kind = Object.hasOwn(METRIC_FILTERS, type) ? METRIC_FILTERS[type] : undefined;
  if (kind === undefined)
    return r.fail(
      paths.type,
      `W&B event type ${eventType} has no counterpart here`,
      eventType,
      'invalid_value',
    );
  const wrapped = WandbReader.get(f, 'run_metric_filter');
  // Older automations kept a threshold in `metric_filter`, itself a JSON string.
  const legacy = WandbReader.get(f, 'metric_filter');
  let given: Json | undefined;
  if (wrapped !== undefined) {
    const w = r.parsed(wrapped, [...filterPath, 'run_metric_filter'], 'run_metric_filter');
    const inner = w === undefined ? undefined : WandbReader.get(w, kind);
    if (w !== undefined && inner === undefined)
      return r.fail(
        [...filterPath, 'run_metric_filter'],
        `${type} needs run_metric_filter.${kind}`,
        w,
        'invalid_type',
      );
    given =
      inner === undefined ? undefined : r.parsed(inner, [...filterPath, 'run_metric_filter', kind], kind);
  } else if (legacy !== undefined && kind === 'threshold_filter') {
    given = r.parsed(legacy, [...filterPath, 'metric_filter'], 'metric_filter');
  } else return r.fail(filterPath, `${type} needs run_metric_filter.${kind}`, f, 'invalid_type');
  if (given === undefined) return undefined;
  const filter = metricFilter(r, kind, given, [...filterPath, 'run_metric_filter', kind]);
  const rf = runFilter(r, f, filterPath);
  return { type: 'OnRunMetric', scope, filter, ...(rf !== undefined && { runFilter: rf }) };
}
