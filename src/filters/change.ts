import type { Aggregation, ChangeFilterDirection, MetricChangeFilter } from '../schema/metric-filters.js';
import type { AggregateSpec } from '../windows/aggregate.js';
import type { MetricSeries } from '../windows/metric-series.js';
import { CHANGE, type ProbeTest, RELATIVE_CHANGE } from '../windows/probe.js';
import { aggregateValue, kindFor, probeAgg } from './aggregate-value.js';
import type { CompiledMetricFilter } from './compiled-metric-filter.js';
import type { Evidence } from './evidence.js';
import { directionTest } from './probe-value.js';

export function changeMatches(d: number, direction: ChangeFilterDirection, amount: number): boolean {
  switch (direction) {
    case 'increase':
      return d >= amount;
    case 'decrease':
      return d <= -amount;
    case 'any':
      return Math.abs(d) >= amount;
    case 'flat':
      return Math.abs(d) < amount;
  }
}

/** A class, not a closure per automation: one `matches` for all, so the hot call site stays monomorphic. */
class ChangeFilter implements CompiledMetricFilter {
  readonly definition: MetricChangeFilter;
  readonly metric: string;
  readonly needs: readonly AggregateSpec[];
  readonly history: number;
  readonly nonFinite = false;
  readonly test: ProbeTest;
  readonly #agg: Aggregation;
  readonly #current: number;
  readonly #prior: number;
  readonly #relative: boolean;
  readonly #direction: ChangeFilterDirection;
  readonly #amount: number;

  constructor(filter: MetricChangeFilter) {
    const { agg, currentWindow: c, priorWindow: p } = filter;
    const kind = kindFor(agg);
    this.definition = filter;
    this.metric = filter.name;
    this.needs = [
      { kind, size: c, lag: 0 },
      { kind, size: p, lag: c },
    ];
    this.history = c + p;
    this.#agg = agg;
    this.#current = c;
    this.#prior = p;
    this.#relative = filter.changeType === 'relative';
    this.#direction = filter.direction;
    this.#amount = filter.amount;
    const { op, threshold, abs } = directionTest(filter.direction, filter.amount);
    const code = this.#relative ? RELATIVE_CHANGE : CHANGE;
    this.test = { probe: { code, agg: probeAgg(agg), size: c, prior: p, abs }, op, threshold };
  }

  #change(a: number, b: number): number {
    return this.#relative ? (a - b) / Math.abs(b) : a - b;
  }

  matches(series: MetricSeries, a: number, b: number): boolean {
    const current = aggregateValue(this.#agg, series, a, this.#current);
    const prior = aggregateValue(this.#agg, series, b, this.#prior);
    // A relative change from zero is undefined: nothing fires.
    if (this.#relative && prior === 0) return false;
    return changeMatches(this.#change(current, prior), this.#direction, this.#amount);
  }

  evidence(series: MetricSeries, a: number, b: number, value: number): Evidence {
    const c = this.#current;
    const p = this.#prior;
    const current = aggregateValue(this.#agg, series, a, c);
    const prior = aggregateValue(this.#agg, series, b, p);
    const n = series.count;
    return {
      metric: this.metric,
      value,
      values: series.slice(n - c, n - 1),
      aggregate: current,
      agg: this.#agg,
      prior: { values: series.slice(n - c - p, n - c - 1), aggregate: prior },
      change: this.#change(current, prior),
      changeType: this.definition.changeType,
      direction: this.#direction,
      amount: this.#amount,
    };
  }
}

export function compileChange(filter: MetricChangeFilter): CompiledMetricFilter {
  return new ChangeFilter(filter);
}
