import { z } from 'zod';
import { DefinitionError } from '../../errors/definition-error.js';
import { issue } from '../../errors/issue.js';
import type { AnyCase } from '../../schema/caseless.js';
import type {
  Aggregation,
  ChangeDirection,
  MetricChangeFilter as ChangeFilter,
  ChangeFilterDirection,
  Comparison,
  MetricNonFiniteFilter as NonFiniteFilter,
  MetricThresholdFilter as ThresholdFilter,
  MetricZScoreFilter as ZScoreFilter,
} from '../../schema/metric-filters.js';
import { optional, strictObject } from '../../schema/strict.js';
import {
  MetricChangeFilter,
  MetricNonFiniteFilter,
  MetricThresholdFilter,
  MetricZScoreFilter,
} from '../filters.js';
import { checkData, parseInput } from '../parse.js';
import { withZScoreChain, type ZScoreExpression } from './zscore-chain.js';

/** A change amount: `{ diff }` is absolute (a − b), `{ frac }` relative ((a − b) / |b|, 0.25 = 25 %); exactly one. */
export type ChangeAmount =
  | { readonly diff: number; readonly frac?: never }
  | { readonly frac: number; readonly diff?: never };
export type ChangeWindows = { readonly current?: number; readonly prior?: number };
type ZScoreOptions = { readonly threshold?: number; readonly direction?: ChangeDirection };

const amountSchema = strictObject('a change amount', {
  diff: optional(z.unknown()),
  frac: optional(z.unknown()),
}).superRefine((a, ctx) => {
  if ((a.diff === undefined) === (a.frac === undefined)) {
    ctx.addIssue({
      code: 'custom',
      message: 'give exactly one of diff or frac: { diff } is absolute, { frac } relative',
      input: a,
      params: { code: 'invalid_value' },
    });
  }
});
const windowsSchema = strictObject('change windows', {
  current: optional(z.unknown()),
  prior: optional(z.unknown()),
});
const zscoreOptionsSchema = strictObject('z-score options', {
  threshold: optional(z.unknown()),
  direction: optional(z.unknown()),
});

type Aggregate = { readonly agg: Aggregation; readonly window: number | undefined; spelled: string };

/** Sugar over the plain filter data: every method returns exactly what the filter factory returns. */
export class MetricExpression {
  readonly #name: string;
  readonly #aggregate: Aggregate | undefined;

  constructor(name: string, agg?: Aggregation, window?: number) {
    this.#name = name;
    this.#aggregate = agg === undefined ? undefined : { agg, spelled: agg, window };
  }

  mean(window?: number): MetricExpression {
    return this.#aggregated('mean', 'mean', window);
  }
  /** Same as `mean`. */
  avg(window?: number): MetricExpression {
    return this.#aggregated('mean', 'avg', window);
  }
  min(window?: number): MetricExpression {
    return this.#aggregated('min', 'min', window);
  }
  max(window?: number): MetricExpression {
    return this.#aggregated('max', 'max', window);
  }
  sum(window?: number): MetricExpression {
    return this.#aggregated('sum', 'sum', window);
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
  /** A plateau: fires when `agg(current)` differs from `agg(prior)` by less than the amount (direction `flat`). */
  plateaus(amount: ChangeAmount, windows?: ChangeWindows): ChangeFilter {
    return this.#change('flat', amount, windows);
  }

  /**
   * The latest value's z-score against the `window` values before it (default 30; threshold 3, either
   * direction). W&B's chain says more: `.zscore(30).gt(3)`, `.zscore(30).lt(-3)`, `.zscore(30).abs().gt(3)`.
   */
  zscore(window?: number): ZScoreExpression;
  zscore(window: number | undefined, options: ZScoreOptions): ZScoreFilter;
  zscore(window?: number, options?: ZScoreOptions): ZScoreFilter;
  zscore(window?: number, options?: ZScoreOptions): ZScoreFilter | ZScoreExpression {
    this.#unaggregated('zscore');
    checkData(options, 'z-score options', 'definition', ['options']);
    const o = options === undefined ? undefined : parseInput(zscoreOptionsSchema, options, 'zscore options');
    const filter = MetricZScoreFilter({
      name: this.#name,
      ...(window !== undefined && { window }),
      ...(o?.threshold !== undefined && { threshold: o.threshold as number }),
      ...(o?.direction !== undefined && { direction: o.direction as ChangeDirection }),
    });
    return options === undefined ? withZScoreChain(filter) : filter;
  }

  nonFinite(): NonFiniteFilter {
    this.#unaggregated('nonFinite');
    return MetricNonFiniteFilter({ name: this.#name });
  }

  #aggregated(agg: Aggregation, spelled: string, window: number | undefined): MetricExpression {
    const before = this.#aggregate;
    if (before !== undefined) {
      const was = `${before.spelled}(${before.window ?? ''})`;
      throw builderError(
        `${JSON.stringify(this.#name)} is already aggregated by ${was}: a filter takes one aggregation`,
        spelled,
      );
    }
    const next = new MetricExpression(this.#name, agg, window);
    // The method the user called (avg, not mean), so that a refusal quotes what they wrote.
    if (next.#aggregate !== undefined) next.#aggregate.spelled = spelled;
    return next;
  }

  #unaggregated(method: string): void {
    const a = this.#aggregate;
    if (a !== undefined) {
      throw builderError(
        `${method}() takes no aggregation: drop .${a.spelled}(${a.window ?? ''})`,
        a.spelled,
      );
    }
  }

  #threshold(cmp: Comparison, threshold: number): ThresholdFilter {
    const a = this.#aggregate;
    return MetricThresholdFilter({
      name: this.#name,
      ...(a?.window !== undefined && { window: a.window }),
      ...(a !== undefined && { agg: a.agg }),
      cmp,
      threshold,
    });
  }

  #change(
    direction: ChangeFilterDirection,
    amount: ChangeAmount,
    windows: ChangeWindows | undefined,
  ): ChangeFilter {
    const a = this.#aggregate;
    // Plain data, as a definition is, before zod reads it (zod would await a promise inside it).
    checkData(amount, 'change amount', 'definition', ['amount']);
    checkData(windows, 'change windows', 'definition', ['windows']);
    const given = parseInput(amountSchema, amount, 'change amount');
    const w = windows === undefined ? undefined : parseInput(windowsSchema, windows, 'change windows');
    const current = (w?.current as number | undefined) ?? a?.window;
    const absolute = given.diff !== undefined;
    return MetricChangeFilter({
      name: this.#name,
      ...(a !== undefined && { agg: a.agg }),
      ...(current !== undefined && { currentWindow: current }),
      ...(w?.prior !== undefined && { priorWindow: w.prior as number }),
      changeType: absolute ? 'absolute' : 'relative',
      direction,
      amount: (absolute ? given.diff : given.frac) as number,
    });
  }
}

function builderError(message: string, value: string): DefinitionError {
  return new DefinitionError([issue('invalid_value', ['agg'], message, value)], 'metric expression');
}

type StateName = AnyCase<'running' | 'finished' | 'failed' | 'crashed'>;

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
