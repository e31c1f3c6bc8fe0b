import { DefinitionError } from '../../errors/definition-error.js';
import { issue } from '../../errors/issue.js';
import type { ChangeDirection, MetricZScoreFilter as ZScoreFilter } from '../../schema/metric-filters.js';
import { MetricZScoreFilter } from '../filters.js';

/** `.abs()` of a z-score: W&B's `abs(metric.zscore(w)) > t`, which fires on a deviation either way. */
export type ZScoreAbs = {
  /** `|z| ≥ threshold` (threshold > 0): direction `any`. */
  gt(threshold: number): ZScoreFilter;
  /** Same as `gt`: the z-score is continuous, so `≥` and `>` differ in nothing that fires. */
  gte(threshold: number): ZScoreFilter;
  /** Refused, as in W&B: `|z| < t` would fire on every ordinary value. */
  lt(threshold: number): never;
  lte(threshold: number): never;
};

/** W&B's z-score chain on the plain filter `.zscore(window)` returns: the methods are not part of the data. */
export type ZScoreComparisons = {
  /** W&B's `metric.zscore(w) > t`: `z ≥ t` (t > 0), direction `increase`. */
  gt(threshold: number): ZScoreFilter;
  gte(threshold: number): ZScoreFilter;
  /** W&B's `metric.zscore(w) < -t`: `z ≤ −t`, direction `decrease`, threshold `t`; the argument must be negative. */
  lt(threshold: number): ZScoreFilter;
  lte(threshold: number): ZScoreFilter;
  /** Compare the absolute z-score: `.abs().gt(3)` fires when `|z| ≥ 3`. */
  abs(): ZScoreAbs;
};

/** What `.zscore(window)` returns: the plain filter (threshold 3, either way), and the chain to say more. */
export type ZScoreExpression = ZScoreFilter & ZScoreComparisons;

const WHAT = 'MetricZScoreFilter';

function refuse(message: string, threshold: number): never {
  throw new DefinitionError([issue('invalid_value', ['threshold'], message, threshold)], WHAT);
}

function build(base: ZScoreFilter, threshold: number, direction: ChangeDirection): ZScoreFilter {
  return MetricZScoreFilter({ name: base.name, window: base.window, threshold, direction });
}

/** The filter with W&B's comparison chain as non-enumerable methods, so it stays plain data for JSON and equality. */
export function withZScoreChain(filter: ZScoreFilter): ZScoreExpression {
  const call = `zscore(${filter.window})`;
  const above = (direction: 'increase' | 'any', prefix: string) => (t: number) => {
    if (!(t > 0)) {
      const drop = t < 0 ? `; for a drop below ${t} write ${call}.lt(${t})` : '';
      refuse(`${prefix}.gt(${t}) needs a positive threshold${drop}`, t);
    }
    return build(filter, t, direction);
  };
  const below = (t: number): ZScoreFilter => {
    if (!(t < 0)) {
      const rise = t > 0 ? `; for a rise above ${t} write ${call}.gt(${t})` : '';
      refuse(`${call}.lt(${t}) needs a negative threshold: .lt(-3) fires when z ≤ −3${rise}`, t);
    }
    return build(filter, -t, 'decrease');
  };
  const absLt = (t: number): never =>
    refuse(
      `${call}.abs().lt(${t}) is refused: |z| below a bound fires on every ordinary value; write .abs().gt(t)`,
      t,
    );
  const absGt = above('any', `${call}.abs()`);
  const abs: ZScoreAbs = Object.freeze({ gt: absGt, gte: absGt, lt: absLt, lte: absLt });
  const gt = above('increase', call);
  const chain: ZScoreComparisons = { gt, gte: gt, lt: below, lte: below, abs: () => abs };
  const expression = { ...filter };
  for (const [name, value] of Object.entries(chain)) {
    Object.defineProperty(expression, name, { value, enumerable: false });
  }
  return Object.freeze(expression) as ZScoreExpression;
}
