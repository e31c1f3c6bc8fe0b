import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Aggregation,
  type ChangeDirection,
  type Comparison,
  DoNothing,
  isDefinitionError,
  MetricChangeFilter,
  type MetricExpression,
  type MetricFilter,
  MetricNonFiniteFilter,
  MetricThresholdFilter,
  MetricZScoreFilter,
  type NewAutomation,
  OnRunMetric,
  parseAutomation,
  RunEvent,
} from '../../src/index.js';

// Destructured: tsc wants ['FC_RUNS'] (an index signature), Biome wants .FC_RUNS.
const { FC_RUNS } = process.env;
const numRuns = Number(FC_RUNS ?? 200);

// Builder method, a spelling the plain data may use for it, and the canonical value both must give.
const AGGS = [
  ['mean', 'mean', 'mean'],
  ['avg', 'avg', 'mean'],
  ['avg', 'average', 'mean'],
  ['min', 'min', 'min'],
  ['max', 'max', 'max'],
  ['sum', 'sum', 'sum'],
] as const satisfies readonly (readonly [string, string, Aggregation])[];
const CMPS = [
  ['gt', '>', '>'],
  ['gt', '$gt', '>'],
  ['gte', '>=', '>='],
  ['gte', '$gte', '>='],
  ['lt', '<', '<'],
  ['lt', '$lt', '<'],
  ['lte', '<=', '<='],
  ['lte', '$lte', '<='],
  ['eq', '==', '=='],
  ['eq', '$eq', '=='],
  ['ne', '!=', '!='],
  ['ne', '$ne', '!='],
] as const satisfies readonly (readonly [string, string, Comparison])[];
const DIRECTIONS = [
  ['increasesBy', 'increase'],
  ['decreasesBy', 'decrease'],
  ['changesBy', 'any'],
] as const satisfies readonly (readonly [string, ChangeDirection])[];

const name = fc.oneof(
  fc.constantFrom('loss', 'accuracy', 'val/loss', '__proto__', 'constructor', 'toString'),
  fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
);
const window = fc.integer({ min: 1, max: 10_000 });
// JSON has no -0: it would come back as 0, which equals it as a number but not under Object.is.
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x));
const positive = fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true });
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

function filterOf(automation: NewAutomation): MetricFilter {
  if (automation.event.type !== 'OnRunMetric')
    throw new Error(`expected OnRunMetric, got ${automation.event.type}`);
  return automation.event.filter;
}

/** What parseAutomation reads back for this filter, given as JSON text inside an automation. */
function parsedFromJson(filter: object): MetricFilter {
  const json = JSON.stringify({
    event: { type: 'OnRunMetric', scope: 'acme/vision', filter },
    action: DoNothing(),
  });
  return filterOf(parseAutomation(json));
}

/** The builder's filter, after a round trip through a trigger, JSON text and parseAutomation. */
function roundTripped(filter: MetricFilter): MetricFilter {
  const automation = OnRunMetric({ scope: 'acme/vision', filter }).do(DoNothing());
  return filterOf(parseAutomation(JSON.stringify(automation)));
}

function issuesOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    if (isDefinitionError(error)) return error.issues;
    throw error;
  }
  return 'no error';
}

describe('the builder is sugar over plain data', () => {
  it('threshold: RunEvent.metric(n)[agg](w)[cmp](t) equals the factory and the parsed JSON', () => {
    fc.assert(
      fc.property(
        name,
        optional(fc.tuple(fc.constantFrom(...AGGS), optional(window), fc.boolean())),
        fc.constantFrom(...CMPS),
        finite,
        fc.boolean(),
        (n, aggregate, [cmpMethod, cmpSpelling, cmp], threshold, nullAgg) => {
          let expr: MetricExpression = RunEvent.metric(n);
          if (aggregate !== undefined) expr = expr[aggregate[0][0]](aggregate[1]);
          const built = expr[cmpMethod](threshold);

          const w = aggregate?.[1];
          const expected =
            aggregate === undefined
              ? { type: 'MetricThresholdFilter', name: n, window: 1, cmp, threshold }
              : {
                  type: 'MetricThresholdFilter',
                  name: n,
                  window: w ?? 1,
                  agg: aggregate[0][2],
                  cmp,
                  threshold,
                };
          expect(built).toStrictEqual(expected);

          // Plain data with aliases; window 1 and agg null are spelled out or left to their defaults.
          const plain = {
            name: n,
            ...(aggregate === undefined
              ? { ...(nullAgg && { agg: null, window: 1 }) }
              : { agg: aggregate[0][1], ...(w !== undefined && { window: w }) }),
            cmp: cmpSpelling,
            threshold,
          };
          expect(MetricThresholdFilter(plain)).toStrictEqual(built);
          expect(parsedFromJson({ type: 'MetricThresholdFilter', ...plain })).toStrictEqual(built);
          expect(roundTripped(built)).toStrictEqual(built);
        },
      ),
      { numRuns },
    );
  });

  it('change: [agg](w).increasesBy|decreasesBy|changesBy({diff}|{frac}, windows) equals the factory', () => {
    fc.assert(
      fc.property(
        name,
        optional(fc.tuple(fc.constantFrom(...AGGS), optional(window))),
        fc.constantFrom(...DIRECTIONS),
        fc.boolean(),
        positive,
        optional(fc.record({ current: optional(window), prior: optional(window) })),
        fc.boolean(),
        (n, aggregate, [method, direction], absolute, amount, windows, explicitRelative) => {
          let expr: MetricExpression = RunEvent.metric(n);
          if (aggregate !== undefined) expr = expr[aggregate[0][0]](aggregate[1]);
          const builderWindows =
            windows === undefined
              ? undefined
              : {
                  ...(windows.current !== undefined && { current: windows.current }),
                  ...(windows.prior !== undefined && { prior: windows.prior }),
                };
          const built = expr[method](absolute ? { diff: amount } : { frac: amount }, builderWindows);

          const current = windows?.current ?? aggregate?.[1];
          const prior = windows?.prior;
          expect(built).toStrictEqual({
            type: 'MetricChangeFilter',
            name: n,
            agg: aggregate?.[0][2] ?? 'mean',
            currentWindow: current ?? 10,
            priorWindow: prior ?? 50,
            changeType: absolute ? 'absolute' : 'relative',
            direction,
            amount,
          });

          const plain = {
            name: n,
            ...(aggregate !== undefined && { agg: aggregate[0][1] }),
            ...(current !== undefined && { currentWindow: current }),
            ...(prior !== undefined && { priorWindow: prior }),
            ...(absolute
              ? { changeType: 'absolute' as const }
              : explicitRelative && { changeType: 'relative' as const }),
            direction,
            amount,
          };
          expect(MetricChangeFilter(plain)).toStrictEqual(built);
          expect(parsedFromJson({ type: 'MetricChangeFilter', ...plain })).toStrictEqual(built);
          expect(roundTripped(built)).toStrictEqual(built);
        },
      ),
      { numRuns },
    );
  });

  it('zscore(window, { threshold, direction }) and nonFinite() equal the factories', () => {
    fc.assert(
      fc.property(
        name,
        optional(fc.integer({ min: 2, max: 10_000 })),
        optional(positive),
        optional(fc.constantFrom<ChangeDirection>('increase', 'decrease', 'any')),
        (n, w, threshold, direction) => {
          const options = {
            ...(threshold !== undefined && { threshold }),
            ...(direction !== undefined && { direction }),
          };
          const built = RunEvent.metric(n).zscore(w, options);
          expect(built).toStrictEqual({
            type: 'MetricZScoreFilter',
            name: n,
            window: w ?? 30,
            threshold: threshold ?? 3,
            direction: direction ?? 'any',
          });
          const plain = { name: n, ...(w !== undefined && { window: w }), ...options };
          expect(MetricZScoreFilter(plain)).toStrictEqual(built);
          expect(parsedFromJson({ type: 'MetricZScoreFilter', ...plain })).toStrictEqual(built);
          expect(roundTripped(built)).toStrictEqual(built);

          const nonFinite = RunEvent.metric(n).nonFinite();
          expect(nonFinite).toStrictEqual({ type: 'MetricNonFiniteFilter', name: n });
          expect(MetricNonFiniteFilter({ name: n })).toStrictEqual(nonFinite);
          expect(roundTripped(nonFinite)).toStrictEqual(nonFinite);
        },
      ),
      { numRuns },
    );
  });

  it("W&B's z-score chain: zscore(w).gt(t), .lt(-t), .abs().gt(t) equal the factory's increase, decrease, any", () => {
    fc.assert(
      fc.property(name, optional(fc.integer({ min: 2, max: 10_000 })), positive, (n, w, t) => {
        const expected = (direction: ChangeDirection) =>
          MetricZScoreFilter({ name: n, ...(w !== undefined && { window: w }), threshold: t, direction });
        const chain = RunEvent.metric(n).zscore(w);
        expect(chain.gt(t)).toStrictEqual(expected('increase'));
        expect(chain.gte(t)).toStrictEqual(expected('increase'));
        expect(chain.lt(-t)).toStrictEqual(expected('decrease'));
        expect(chain.lte(-t)).toStrictEqual(expected('decrease'));
        expect(chain.abs().gt(t)).toStrictEqual(expected('any'));
        expect(roundTripped(chain.lt(-t))).toStrictEqual(expected('decrease'));
        // The wrong sign is refused, never read as the other direction.
        for (const wrong of [
          () => chain.lt(t),
          () => chain.gt(-t),
          () => chain.abs().gt(-t),
          () => chain.abs().lt(t),
        ]) {
          expect(issuesOf(wrong)).toMatchObject([{ code: 'invalid_value', path: ['threshold'] }]);
        }
        // The chain is not data: the filter itself is the defaults, plain.
        expect(JSON.parse(JSON.stringify(chain))).toStrictEqual(
          MetricZScoreFilter({ name: n, ...(w !== undefined && { window: w }) }),
        );
      }),
      { numRuns },
    );
  });

  it('refuses what the factory refuses, with the same issues', () => {
    const badAmount = fc.oneof(
      fc.double({ max: 0, noNaN: true }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY),
    );
    const badWindow = fc.oneof(
      fc.integer({ min: -5, max: 0 }),
      fc.integer({ min: 10_001, max: 1e9 }),
      fc.double({ min: 1, max: 100, noInteger: true, noNaN: true }),
    );
    fc.assert(
      fc.property(name, badAmount, badWindow, fc.boolean(), (n, amount, w, absolute) => {
        expect(
          issuesOf(() => RunEvent.metric(n).changesBy(absolute ? { diff: amount } : { frac: amount })),
        ).toStrictEqual(
          issuesOf(() =>
            MetricChangeFilter({
              name: n,
              changeType: absolute ? 'absolute' : 'relative',
              direction: 'any',
              amount,
            }),
          ),
        );
        const thresholdIssues = issuesOf(() => RunEvent.metric(n).max(w).gt(0));
        expect(thresholdIssues).not.toBe('no error');
        expect(thresholdIssues).toStrictEqual(
          issuesOf(() => MetricThresholdFilter({ name: n, agg: 'max', window: w, cmp: '>', threshold: 0 })),
        );
        expect(issuesOf(() => RunEvent.metric(n).zscore(w))).toStrictEqual(
          issuesOf(() => MetricZScoreFilter({ name: n, window: w })),
        );
      }),
      { numRuns },
    );
  });
});
