import type { MetricFilter } from '../../index.js';

/** The last `capacity` finite values of a series, newest last: what the engine's windows would hold. */
export class RecentValues {
  readonly #values: Float64Array;
  #count = 0;
  #next = 0;

  constructor(capacity: number) {
    this.#values = new Float64Array(Math.max(1, capacity));
  }

  /** Finite values pushed so far (not capped). */
  get count(): number {
    return this.#count;
  }

  push(x: number): void {
    this.#values[this.#next] = x;
    this.#next = (this.#next + 1) % this.#values.length;
    this.#count += 1;
  }

  /** The k-th newest value (0 = the latest). */
  at(k: number): number {
    const n = this.#values.length;
    return this.#values[(((this.#next - 1 - k) % n) + n) % n] as number;
  }

  /** agg over the `length` values `skip` … `skip + length − 1` back from the latest; no allocation. */
  aggregate(agg: string, skip: number, length: number): number {
    let acc = agg === 'min' ? Number.POSITIVE_INFINITY : agg === 'max' ? Number.NEGATIVE_INFINITY : 0;
    for (let k = skip; k < skip + length; k++) {
      const x = this.at(k);
      if (agg === 'min') acc = x < acc ? x : acc;
      else if (agg === 'max') acc = x > acc ? x : acc;
      else acc += x;
    }
    return agg === 'mean' ? acc / length : acc;
  }

  /** The population standard deviation of `length` values from `skip` back, around `mean`. */
  deviation(skip: number, length: number, mean: number): number {
    let sum = 0;
    for (let k = skip; k < skip + length; k++) sum += (this.at(k) - mean) ** 2;
    return Math.sqrt(sum / length);
  }
}

/** How many values a filter looks at; the ring must hold that many. */
export function historyOf(f: MetricFilter): number {
  switch (f.type) {
    case 'MetricThresholdFilter':
      return f.agg === undefined ? 1 : f.window;
    case 'MetricChangeFilter':
      return f.currentWindow + f.priorWindow;
    case 'MetricZScoreFilter':
      return f.window + 1;
    case 'MetricNonFiniteFilter':
      return 1;
  }
}

/** One point of an automation's overlay: its window aggregate, and the bounds a value must cross to fire. */
export type OverlayPoint = {
  readonly agg: number | null;
  readonly lo: number | null;
  readonly hi: number | null;
};

const NONE: OverlayPoint = { agg: null, lo: null, hi: null };

function bounds(direction: string, centre: number, spread: number): OverlayPoint {
  return {
    agg: null,
    lo: direction === 'increase' ? null : centre - spread,
    hi: direction === 'decrease' ? null : centre + spread,
  };
}

/**
 * What the chart shows for one automation after the latest value: the aggregate it compares, and for change and
 * z-score filters the moving bounds (a threshold filter's bound is its constant `threshold`). Null until the
 * window is full, as the engine evaluates nothing before then.
 */
export function overlayPoint(f: MetricFilter, recent: RecentValues): OverlayPoint {
  if (recent.count < historyOf(f)) return NONE;
  switch (f.type) {
    case 'MetricThresholdFilter':
      return {
        ...NONE,
        agg: f.agg === undefined ? recent.at(0) : recent.aggregate(f.agg, 0, f.window),
      };
    case 'MetricChangeFilter': {
      const a = recent.aggregate(f.agg, 0, f.currentWindow);
      const b = recent.aggregate(f.agg, f.currentWindow, f.priorWindow);
      if (f.changeType === 'relative' && b === 0) return { ...NONE, agg: a };
      const spread = f.changeType === 'relative' ? f.amount * Math.abs(b) : f.amount;
      return { ...bounds(f.direction, b, spread), agg: a };
    }
    case 'MetricZScoreFilter': {
      const mean = recent.aggregate('mean', 1, f.window);
      const sd = recent.deviation(1, f.window, mean);
      return { ...bounds(f.direction, mean, f.threshold * sd), agg: mean };
    }
    case 'MetricNonFiniteFilter':
      return NONE;
  }
}
