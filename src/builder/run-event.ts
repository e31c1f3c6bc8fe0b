import {
  MetricChangeFilter,
  MetricNonFiniteFilter,
  MetricThresholdFilter,
  MetricZScoreFilter,
} from '../definitions/filters.js';
import { checkData } from '../definitions/parse.js';
import { DefinitionError } from '../errors/definition-error.js';
import { issue } from '../errors/issue.js';
import type {
  Aggregation,
  ChangeDirection,
  MetricChangeFilter as ChangeFilter,
  Comparison,
  MetricNonFiniteFilter as NonFiniteFilter,
  MetricThresholdFilter as ThresholdFilter,
  MetricZScoreFilter as ZScoreFilter,
} from '../schema/metric-filters.js';

/** A change amount: `{ diff }` is absolute (a − b), `{ frac }` relative ((a − b) / |b|, 0.25 = 25 %). */
export type ChangeAmount = { readonly diff: number } | { readonly frac: number };
export type ChangeWindows = { readonly current?: number; readonly prior?: number };

/** Sugar over the plain filter data: every method returns exactly what the filter factory returns. */
export class MetricExpression {
  readonly #name: string;
  readonly #agg: Aggregation | undefined;
  readonly #window: number | undefined;

  constructor(name: string, agg?: Aggregation, window?: number) {
    this.#name = name;
    this.#agg = agg;
    this.#window = window;
  }

  mean(window?: number): MetricExpression {
    return new MetricExpression(this.#name, 'mean', window);
  }
  /** Same as `mean`. */
  avg(window?: number): MetricExpression {
    return this.mean(window);
  }
  min(window?: number): MetricExpression {
    return new MetricExpression(this.#name, 'min', window);
  }
  max(window?: number): MetricExpression {
    return new MetricExpression(this.#name, 'max', window);
  }
  sum(window?: number): MetricExpression {
    return new MetricExpression(this.#name, 'sum', window);
  }

  gt(threshold: number): ThresholdFilter {
    return this.#threshold('>', threshold);
  }
  gte(threshold: number): ThresholdFilter {
    return this.#threshold('>=', threshold);
  }
  lt(threshold: number): ThresholdFilter {
    return this.#threshold('<', threshold);
  }
  lte(threshold: number): ThresholdFilter {
    return this.#threshold('<=', threshold);
  }
  eq(threshold: number): ThresholdFilter {
    return this.#threshold('==', threshold);
  }
  ne(threshold: number): ThresholdFilter {
    return this.#threshold('!=', threshold);
  }

  /** Fires when `agg(current) − agg(prior)` grows by at least the amount. The aggregation's window is the current window unless `windows.current` says otherwise. */
  increasesBy(amount: ChangeAmount, windows?: ChangeWindows): ChangeFilter {
    return this.#change('increase', amount, windows);
  }
  decreasesBy(amount: ChangeAmount, windows?: ChangeWindows): ChangeFilter {
    return this.#change('decrease', amount, windows);
  }
  changesBy(amount: ChangeAmount, windows?: ChangeWindows): ChangeFilter {
    return this.#change('any', amount, windows);
  }

  /** The latest value's z-score against the `window` values before it (default 30; threshold 3, either direction). */
  zscore(
    window?: number,
    options?: { readonly threshold?: number; readonly direction?: ChangeDirection },
  ): ZScoreFilter {
    checkData(options, 'z-score options', 'definition', ['options']);
    return MetricZScoreFilter({
      name: this.#name,
      ...(window !== undefined && { window }),
      ...(options?.threshold !== undefined && { threshold: options.threshold }),
      ...(options?.direction !== undefined && { direction: options.direction }),
    });
  }

  nonFinite(): NonFiniteFilter {
    return MetricNonFiniteFilter({ name: this.#name });
  }

  #threshold(cmp: Comparison, threshold: number): ThresholdFilter {
    return MetricThresholdFilter({
      name: this.#name,
      ...(this.#window !== undefined && { window: this.#window }),
      ...(this.#agg !== undefined && { agg: this.#agg }),
      cmp,
      threshold,
    });
  }

  #change(
    direction: ChangeDirection,
    amount: ChangeAmount,
    windows: ChangeWindows | undefined,
  ): ChangeFilter {
    // Read only once checked to be plain data: `in` and `?.` would run a proxy's trap or a getter.
    checkData(amount, 'change amount', 'definition', ['amount']);
    checkData(windows, 'change windows', 'definition', ['windows']);
    if (typeof amount !== 'object' || amount === null)
      throw new DefinitionError(
        [issue('invalid_type', ['amount'], 'expected { diff } or { frac }', amount)],
        'change',
      );
    const current = windows?.current ?? this.#window;
    const absolute = 'diff' in amount;
    return MetricChangeFilter({
      name: this.#name,
      ...(this.#agg !== undefined && { agg: this.#agg }),
      ...(current !== undefined && { currentWindow: current }),
      ...(windows?.prior !== undefined && { priorWindow: windows.prior }),
      changeType: absolute ? 'absolute' : 'relative',
      direction,
      amount: absolute ? amount.diff : amount.frac,
    });
  }
}

type StateName = 'running' | 'finished' | 'failed' | 'crashed';

/** Sugar for `OnRunState`'s `states`: `OnRunState({ scope, ...RunEvent.state.in(['finished', 'failed']) })`. */
const state = Object.freeze({
  in(states: readonly StateName[]): { readonly states: readonly StateName[] } {
    checkData(states, 'states', 'definition', ['states']);
    if (!Array.isArray(states))
      throw new DefinitionError([issue('invalid_type', ['states'], 'expected an array', states)], 'states');
    return Object.freeze({ states: Object.freeze([...states]) });
  },
  eq(s: StateName): { readonly states: readonly StateName[] } {
    return state.in([s]);
  },
});

/** The builder's entry: `RunEvent.metric('loss').mean(5).gt(0.5)`, `RunEvent.state.in(['failed'])`. */
export const RunEvent = Object.freeze({
  metric(name: string): MetricExpression {
    return new MetricExpression(name);
  },
  state,
});
