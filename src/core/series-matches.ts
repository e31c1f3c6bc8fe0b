import type { CompiledMetricFilter } from '../filters/compiled-metric-filter.js';
import { probeValue } from '../filters/probe-value.js';
import type { MetricWatcher } from '../routing/watcher.js';
import type { SeriesLayout } from '../windows/layout.js';
import type { MetricSeries } from '../windows/metric-series.js';
import { EQ, GE, GT, LE, LT } from '../windows/probe.js';

/** Where `probeValue` leaves its number (see there why not a return value). */
const PROBED = new Float64Array(1);

/**
 * The bindings of `series` whose filters match the value just applied, `values[v]` (pushed if finite), written
 * to `hits` in binding order (oldest automation first); returns how many. Each distinct probe is computed once,
 * and a group visits its members only while they match (thresholds are ordered so), so a value costs one compare
 * per group plus one per match, however many automations share the probe. `hits` holds at least
 * `layout.bindings.length`.
 */
export function seriesMatches(
  layout: SeriesLayout<MetricWatcher>,
  series: MetricSeries<MetricWatcher>,
  values: Float64Array,
  v: number,
  finite: boolean,
  hits: Int32Array,
): number {
  let n = 0;
  if (!finite) {
    const nonFinite = layout.nonFinite;
    for (let k = 0; k < nonFinite.length; k++) hits[n++] = nonFinite[k] as number;
    return n;
  }
  const { probes, groups, members, memberThresholds: t } = layout;
  let probe = -1;
  let x = 0;
  for (let g = 0; g < groups.length; g += 4) {
    if (groups[g] !== probe) {
      probe = groups[g] as number;
      probeValue(series, probes, probe, values, v, PROBED);
      x = PROBED[0] as number;
    }
    const op = groups[g + 1] as number;
    const end = groups[g + 3] as number;
    let j = groups[g + 2] as number;
    // The first failing member ends a scan: the rest fail too (NaN fails them all at once).
    if (op === GT) for (; j < end && x > (t[j] as number); j++) n = take(layout, series, members[j], hits, n);
    else if (op === GE)
      for (; j < end && x >= (t[j] as number); j++) n = take(layout, series, members[j], hits, n);
    else if (op === LT)
      for (; j < end && x < (t[j] as number); j++) n = take(layout, series, members[j], hits, n);
    else if (op === LE)
      for (; j < end && x <= (t[j] as number); j++) n = take(layout, series, members[j], hits, n);
    else if (op === EQ) for (; j < end; j++) n = x === t[j] ? take(layout, series, members[j], hits, n) : n;
    else for (; j < end; j++) n = x !== t[j] ? take(layout, series, members[j], hits, n) : n;
  }
  const others = layout.others;
  const value = values[v] as number;
  for (let k = 0; k < others.length; k++) {
    const i = others[k] as number;
    if (!ready(layout, series, i)) continue;
    const filter = layout.filters[i] as CompiledMetricFilter;
    if (filter.matches(series, layout.reads[2 * i] as number, layout.reads[2 * i + 1] as number, value))
      hits[n++] = i;
  }
  // Groups visit bindings out of their order; matches are few, so an insertion sort puts them back.
  for (let k = 1; k < n; k++) {
    const h = hits[k] as number;
    let m = k - 1;
    while (m >= 0 && (hits[m] as number) > h) {
      hits[m + 1] = hits[m] as number;
      m--;
    }
    hits[m + 1] = h;
  }
  return n;
}

/** Binding i's first index is at block offset i: it evaluates once it has seen its filter's history. */
function ready(layout: SeriesLayout<MetricWatcher>, series: MetricSeries<MetricWatcher>, i: number): boolean {
  return series.count - (series.data[series.base + i] as number) >= (layout.histories[i] as number);
}

/** Add binding i to the hits if it is ready. */
function take(
  layout: SeriesLayout<MetricWatcher>,
  series: MetricSeries<MetricWatcher>,
  i: number | undefined,
  hits: Int32Array,
  n: number,
): number {
  if (!ready(layout, series, i as number)) return n;
  hits[n] = i as number;
  return n + 1;
}
