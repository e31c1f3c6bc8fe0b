import { describe, expect, it } from 'vitest';
import {
  isDefinitionError,
  MetricChangeFilter,
  MetricExpression,
  MetricThresholdFilter,
  OnRunMetric,
  RunEvent,
} from '../../src/index.js';

describe('RunEvent.metric(name): the seeds’ examples', () => {
  it('mean(5).gt(0.6): the average of the last 5 accuracy values above 0.6', () => {
    expect(RunEvent.metric('accuracy').mean(5).gt(0.6)).toStrictEqual({
      type: 'MetricThresholdFilter',
      name: 'accuracy',
      window: 5,
      agg: 'mean',
      cmp: '>',
      threshold: 0.6,
    });
  });

  it('average loss decreasing by at least 25%, current window 10, prior window 50', () => {
    const expected = {
      type: 'MetricChangeFilter',
      name: 'loss',
      agg: 'mean',
      currentWindow: 10,
      priorWindow: 50,
      changeType: 'relative',
      direction: 'decrease',
      amount: 0.25,
    };
    expect(
      RunEvent.metric('loss').avg().decreasesBy({ frac: 0.25 }, { current: 10, prior: 50 }),
    ).toStrictEqual(expected);
    expect(RunEvent.metric('loss').mean(10).decreasesBy({ frac: 0.25 }, { prior: 50 })).toStrictEqual(
      expected,
    );
    expect(
      MetricChangeFilter({
        name: 'loss',
        agg: 'avg',
        currentWindow: 10,
        priorWindow: 50,
        changeType: 'relative',
        direction: 'decrease',
        amount: 0.25,
      }),
    ).toStrictEqual(expected);
  });
});

describe('aggregations', () => {
  it.each([
    ['mean', (m: MetricExpression) => m.mean(4), 'mean'],
    ['avg', (m: MetricExpression) => m.avg(4), 'mean'],
    ['min', (m: MetricExpression) => m.min(4), 'min'],
    ['max', (m: MetricExpression) => m.max(4), 'max'],
    ['sum', (m: MetricExpression) => m.sum(4), 'sum'],
  ] as const)('%s(4).lte(2)', (_, pick, agg) => {
    expect(pick(RunEvent.metric('m')).lte(2)).toStrictEqual({
      type: 'MetricThresholdFilter',
      name: 'm',
      window: 4,
      agg,
      cmp: '<=',
      threshold: 2,
    });
  });

  it('an aggregation with no window has window 1', () => {
    expect(RunEvent.metric('m').max().gte(1)).toStrictEqual({
      type: 'MetricThresholdFilter',
      name: 'm',
      window: 1,
      agg: 'max',
      cmp: '>=',
      threshold: 1,
    });
  });

  it('a second aggregation is refused, not silently replacing the first', () => {
    expect(() => RunEvent.metric('m').sum(3).min(7)).toThrow(
      'Invalid metric expression: agg: "m" is already aggregated by sum(3): a filter takes one aggregation (invalid_value)',
    );
  });

  it('an expression is immutable: each step returns a new one', () => {
    const base = RunEvent.metric('m');
    const mean = base.mean(5);
    expect(mean).toBeInstanceOf(MetricExpression);
    expect(mean).not.toBe(base);
    expect(base.gt(1)).toStrictEqual({
      type: 'MetricThresholdFilter',
      name: 'm',
      window: 1,
      cmp: '>',
      threshold: 1,
    });
    expect(mean.gt(1)).toStrictEqual({
      type: 'MetricThresholdFilter',
      name: 'm',
      window: 5,
      agg: 'mean',
      cmp: '>',
      threshold: 1,
    });
  });
});

describe('comparisons', () => {
  it.each([
    ['gt', '>'],
    ['gte', '>='],
    ['lt', '<'],
    ['lte', '<='],
    ['eq', '=='],
    ['ne', '!='],
  ] as const)('%s is %s on the latest value', (method, cmp) => {
    expect(RunEvent.metric('loss')[method](-1.5)).toStrictEqual({
      type: 'MetricThresholdFilter',
      name: 'loss',
      window: 1,
      cmp,
      threshold: -1.5,
    });
  });

  it.each([
    ['gt', '>'],
    ['gte', '>='],
    ['lt', '<'],
    ['lte', '<='],
    ['eq', '=='],
    ['ne', '!='],
  ] as const)('sum(3).%s is %s on the aggregate', (method, cmp) => {
    expect(RunEvent.metric('tokens').sum(3)[method](1000)).toStrictEqual({
      type: 'MetricThresholdFilter',
      name: 'tokens',
      window: 3,
      agg: 'sum',
      cmp,
      threshold: 1000,
    });
  });

  it('equals the factory output for the same plain data', () => {
    expect(RunEvent.metric('acc').avg(5).ne(0.5)).toStrictEqual(
      MetricThresholdFilter({ name: 'acc', window: 5, agg: 'average', cmp: '$ne', threshold: 0.5 }),
    );
  });
});

describe('changes', () => {
  it('increasesBy({ diff }) is an absolute increase with the defaults', () => {
    expect(RunEvent.metric('reward').increasesBy({ diff: 2 })).toStrictEqual({
      type: 'MetricChangeFilter',
      name: 'reward',
      agg: 'mean',
      currentWindow: 10,
      priorWindow: 50,
      changeType: 'absolute',
      direction: 'increase',
      amount: 2,
    });
  });

  it('changesBy({ frac }) is a relative change either way', () => {
    expect(RunEvent.metric('lr').max().changesBy({ frac: 0.5 }, { current: 2, prior: 3 })).toStrictEqual({
      type: 'MetricChangeFilter',
      name: 'lr',
      agg: 'max',
      currentWindow: 2,
      priorWindow: 3,
      changeType: 'relative',
      direction: 'any',
      amount: 0.5,
    });
  });

  it('decreasesBy({ diff }) with min() and only the prior window: the current window keeps its default', () => {
    expect(RunEvent.metric('val_loss').min().decreasesBy({ diff: 0.1 }, { prior: 20 })).toStrictEqual({
      type: 'MetricChangeFilter',
      name: 'val_loss',
      agg: 'min',
      currentWindow: 10,
      priorWindow: 20,
      changeType: 'absolute',
      direction: 'decrease',
      amount: 0.1,
    });
  });

  it('the aggregation’s window is the current window unless windows.current says otherwise', () => {
    expect(RunEvent.metric('x').sum(4).increasesBy({ frac: 1 })).toStrictEqual({
      type: 'MetricChangeFilter',
      name: 'x',
      agg: 'sum',
      currentWindow: 4,
      priorWindow: 50,
      changeType: 'relative',
      direction: 'increase',
      amount: 1,
    });
    expect(RunEvent.metric('x').sum(4).increasesBy({ frac: 1 }, { current: 6 })).toStrictEqual({
      type: 'MetricChangeFilter',
      name: 'x',
      agg: 'sum',
      currentWindow: 6,
      priorWindow: 50,
      changeType: 'relative',
      direction: 'increase',
      amount: 1,
    });
  });

  it('refuses a non-positive amount as the factory does', () => {
    let thrown: unknown;
    try {
      RunEvent.metric('x').decreasesBy({ frac: -0.25 });
    } catch (error) {
      thrown = error;
    }
    expect(isDefinitionError(thrown)).toBe(true);
    expect(isDefinitionError(thrown) && thrown.issues).toStrictEqual([
      { code: 'custom', path: ['amount'], message: 'must be > 0', value: -0.25 },
    ]);
  });
});

describe('zscore and nonFinite', () => {
  it('zscore() has the defaults', () => {
    expect(RunEvent.metric('grad_norm').zscore()).toStrictEqual({
      type: 'MetricZScoreFilter',
      name: 'grad_norm',
      window: 30,
      threshold: 3,
      direction: 'any',
    });
  });

  it('zscore(window, options) keeps them', () => {
    expect(RunEvent.metric('grad_norm').zscore(100, { threshold: 4.5, direction: 'increase' })).toStrictEqual(
      {
        type: 'MetricZScoreFilter',
        name: 'grad_norm',
        window: 100,
        threshold: 4.5,
        direction: 'increase',
      },
    );
    expect(RunEvent.metric('g').zscore(undefined, { direction: 'decrease' })).toStrictEqual({
      type: 'MetricZScoreFilter',
      name: 'g',
      window: 30,
      threshold: 3,
      direction: 'decrease',
    });
  });

  it('zscore and nonFinite refuse an aggregation chosen before them', () => {
    expect(() => RunEvent.metric('g').mean(5).zscore(8)).toThrow(
      'Invalid metric expression: agg: zscore() takes no aggregation: drop .mean(5) (invalid_value)',
    );
    expect(() => RunEvent.metric('g').avg().nonFinite()).toThrow(
      'nonFinite() takes no aggregation: drop .avg()',
    );
  });

  it('zscore(1) is refused', () => {
    expect(() => RunEvent.metric('g').zscore(1)).toThrow(
      'Invalid MetricZScoreFilter: window: Too small: expected number to be >=2 (too_small)',
    );
  });

  it('nonFinite() is the non-finite filter', () => {
    expect(RunEvent.metric('loss').nonFinite()).toStrictEqual({
      type: 'MetricNonFiniteFilter',
      name: 'loss',
    });
  });
});

describe('builder output is the same frozen data', () => {
  it('is deeply frozen and JSON round-trips', () => {
    const filters = [
      RunEvent.metric('a').mean(5).gt(0.6),
      RunEvent.metric('a').increasesBy({ diff: 1 }),
      RunEvent.metric('a').zscore(10),
      RunEvent.metric('a').nonFinite(),
    ];
    for (const f of filters) {
      expect(Object.isFrozen(f)).toBe(true);
      expect(JSON.parse(JSON.stringify(f))).toStrictEqual(f);
    }
  });

  it('RunEvent itself cannot be changed', () => {
    expect(Object.isFrozen(RunEvent)).toBe(true);
  });

  it('goes straight into a trigger', () => {
    expect(
      OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('accuracy').mean(5).gt(0.6) }),
    ).toStrictEqual({
      type: 'OnRunMetric',
      scope: { type: 'project', entity: 'acme', project: 'vision' },
      filter: {
        type: 'MetricThresholdFilter',
        name: 'accuracy',
        window: 5,
        agg: 'mean',
        cmp: '>',
        threshold: 0.6,
      },
    });
  });
});
