import type { MetricSeries } from '../windows/metric-series.js';
import {
  CHANGE,
  EXTREME,
  GE,
  LE,
  LT,
  MEAN,
  P_A,
  P_ABS,
  P_AGG,
  P_B,
  P_PRIOR,
  P_SIZE,
  RELATIVE_CHANGE,
  SUM,
  VALUE,
  ZSCORE,
} from '../windows/probe.js';
import { zscoreOf } from './zscore-of.js';

/** A window's aggregate by probe agg code: the same arithmetic as `aggregateValue`, so the same number. */
function windowValue(agg: number, series: MetricSeries, offset: number, size: number): number {
  if (agg === EXTREME) return series.extreme(offset);
  return agg === MEAN ? series.sum(offset) / size : series.sum(offset);
}

/**
 * The number the probe at `p` of `probes` (a SeriesLayout's) derives after the finite value `values[v]` was
 * pushed, written to `into[0]`: exactly what the filters that share it would each compute (NaN where they would
 * fire on nothing: a relative change from 0, a z-score with no deviation). Numbers go in and out through typed
 * arrays: a number passed to or returned from a call that is not inlined is boxed, an allocation per value.
 */
export function probeValue(
  series: MetricSeries,
  probes: Int32Array,
  p: number,
  values: Float64Array,
  v: number,
  into: Float64Array,
): void {
  const a = probes[p + P_A] as number;
  const size = probes[p + P_SIZE] as number;
  let x: number;
  switch (probes[p] as number) {
    case VALUE:
      x = values[v] as number;
      break;
    case MEAN:
      x = series.sum(a) / size;
      break;
    case SUM:
      x = series.sum(a);
      break;
    case EXTREME:
      x = series.extreme(a);
      break;
    case CHANGE:
    case RELATIVE_CHANGE: {
      const agg = probes[p + P_AGG] as number;
      const current = windowValue(agg, series, a, size);
      const prior = windowValue(agg, series, probes[p + P_B] as number, probes[p + P_PRIOR] as number);
      if (probes[p] === CHANGE) x = current - prior;
      else x = prior === 0 ? Number.NaN : (current - prior) / Math.abs(prior);
      break;
    }
    case ZSCORE:
      x = zscoreOf(series, a, size, values[v] as number);
      break;
    default:
      x = Number.NaN;
  }
  into[0] = probes[p + P_ABS] === 1 ? Math.abs(x) : x;
}

/** A probe and a comparison for a change or z-score direction: d ≥ t, d ≤ −t, |d| ≥ t, |d| < t. */
export function directionTest(
  direction: string,
  amount: number,
): { op: number; threshold: number; abs: boolean } {
  switch (direction) {
    case 'increase':
      return { op: GE, threshold: amount, abs: false };
    case 'decrease':
      return { op: LE, threshold: -amount, abs: false };
    case 'flat':
      return { op: LT, threshold: amount, abs: true };
    default:
      return { op: GE, threshold: amount, abs: true };
  }
}
