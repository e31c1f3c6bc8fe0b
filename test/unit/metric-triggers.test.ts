import { describe, expect, it } from 'vitest';
import {
  MetricChangeFilter,
  MetricNonFiniteFilter,
  MetricThresholdFilter,
  MetricZScoreFilter,
  RunEvent,
} from '../../src/index.js';
import { feed, fixture, row, watch } from '../helpers/fixture.js';

describe('threshold (§3.1)', () => {
  it('the seeds example: average accuracy over the last 5 values above 0.6', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('accuracy').mean(5).gt(0.6));
    expect(feed(engine, 'r1', 'accuracy', [0.9, 0.9, 0.9, 0.9])).toEqual([0, 0, 0, 0]); // window not full yet
    const [firing] = engine.ingest(row('r1', { accuracy: 0.1 }));
    expect(firing?.evidence).toEqual({
      metric: 'accuracy',
      value: 0.1,
      values: [0.9, 0.9, 0.9, 0.9, 0.1],
      aggregate: (0.9 + 0.9 + 0.9 + 0.9 + 0.1) / 5,
      agg: 'mean',
      cmp: '>',
      threshold: 0.6,
    });
    expect(feed(engine, 'r1', 'accuracy', [0.1, 0.1])).toEqual([0, 0]); // mean falls to 0.58
  });

  it.each([
    ['min', 3, [5, 1, 4, 6], 1],
    ['max', 3, [5, 1, 4, 6], 6],
    ['sum', 2, [5, 1, 4, 6], 10],
    ['mean', 4, [5, 1, 4, 6], 4],
  ] as const)('%s over a window of %i', (agg, window, values, expected) => {
    const { engine } = fixture();
    watch(engine, MetricThresholdFilter({ name: 'm', window, agg, cmp: '==', threshold: expected }));
    const fired = feed(engine, 'r', 'm', values);
    expect(fired.at(-1)).toBe(1);
  });

  it.each([
    ['>', [1, 2, 3], [0, 0, 1]],
    ['>=', [1, 2, 3], [0, 1, 1]],
    ['<', [1, 2, 3], [1, 0, 0]],
    ['<=', [1, 2, 3], [1, 1, 0]],
    ['==', [1, 2, 3], [0, 1, 0]],
    ['!=', [1, 2, 3], [1, 0, 1]],
  ] as const)('the latest value (no agg) %s 2', (cmp, values, fired) => {
    const { engine } = fixture();
    watch(engine, MetricThresholdFilter({ name: 'm', cmp, threshold: 2 }));
    expect(feed(engine, 'r', 'm', values)).toEqual(fired);
  });

  it('is level-triggered: every new value that satisfies it fires (no cooldown)', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('m').gt(0));
    expect(feed(engine, 'r', 'm', [1, 2, -1, 3])).toEqual([1, 1, 0, 1]);
  });

  it('each run has its own window', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('m').sum(2).gte(2));
    expect(engine.ingest(row('a', { m: 1 }))).toHaveLength(0);
    expect(engine.ingest(row('b', { m: 1 }))).toHaveLength(0);
    expect(engine.ingest(row('a', { m: 1 }))).toHaveLength(1);
    expect(engine.ingest(row('b', { m: 0 }))).toHaveLength(0);
  });
});

describe('change (§3.2)', () => {
  it('the seeds example: average loss decreases by at least 25% (current 10, prior 50)', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('loss').decreasesBy({ frac: 0.25 }, { current: 10, prior: 50 }));
    const prior = Array.from({ length: 50 }, () => 2);
    expect(feed(engine, 'r', 'loss', prior).every((n) => n === 0)).toBe(true);
    // Nine low values: the windows need 60 values before the first evaluation.
    expect(
      feed(
        engine,
        'r',
        'loss',
        Array.from({ length: 9 }, () => 1),
      ).every((n) => n === 0),
    ).toBe(true);
    const [firing] = engine.ingest(row('r', { loss: 1 }));
    expect(firing?.evidence).toMatchObject({
      aggregate: 1,
      prior: { aggregate: 2 },
      change: -0.5,
      direction: 'decrease',
      amount: 0.25,
    });
    expect(firing?.evidence?.values).toHaveLength(10);
    expect(firing?.evidence?.prior?.values).toHaveLength(50);
  });

  it('the windows are consecutive and do not overlap', () => {
    const { engine } = fixture();
    watch(
      engine,
      MetricChangeFilter({
        name: 'm',
        agg: 'sum',
        currentWindow: 2,
        priorWindow: 3,
        changeType: 'absolute',
        direction: 'any',
        amount: 0.5,
      }),
    );
    const fired = feed(engine, 'r', 'm', [1, 2, 3, 4, 5]);
    expect(fired).toEqual([0, 0, 0, 0, 1]);
    const [firing] = engine.ingest(row('r', { m: 6 }));
    expect(firing?.evidence?.values).toEqual([5, 6]);
    expect(firing?.evidence?.prior?.values).toEqual([2, 3, 4]);
    expect(firing?.evidence?.change).toBe(11 - 9);
  });

  it('relative change from a prior aggregate of 0 is undefined and never fires', () => {
    const { engine } = fixture();
    watch(
      engine,
      MetricChangeFilter({ name: 'm', currentWindow: 1, priorWindow: 1, direction: 'any', amount: 0.1 }),
    );
    // 5 after 0: undefined; 0 after 5: −100 %; −5 after 0: undefined again.
    expect(feed(engine, 'r', 'm', [0, 5, 0, -5])).toEqual([0, 0, 1, 0]);
  });

  it.each([
    ['increase', [10, 13], 1],
    ['increase', [10, 7], 0],
    ['decrease', [10, 7], 1],
    ['decrease', [10, 13], 0],
    ['any', [10, 7], 1],
    ['any', [10, 13], 1],
    ['any', [10, 12], 0],
  ] as const)('direction %s on %j (relative, 25%%)', (direction, values, fires) => {
    const { engine } = fixture();
    watch(
      engine,
      MetricChangeFilter({ name: 'm', currentWindow: 1, priorWindow: 1, direction, amount: 0.25 }),
    );
    expect(feed(engine, 'r', 'm', values).at(-1)).toBe(fires);
  });

  it('relative change divides by |prior|, so a negative baseline keeps its direction', () => {
    const { engine } = fixture();
    watch(
      engine,
      MetricChangeFilter({ name: 'm', currentWindow: 1, priorWindow: 1, direction: 'increase', amount: 0.5 }),
    );
    const [, second] = [engine.ingest(row('r', { m: -2 })), engine.ingest(row('r', { m: -1 }))];
    expect(second?.[0]?.evidence?.change).toBe(0.5);
  });
});

describe('z-score (§3.3)', () => {
  it('compares the latest value with the window of values before it', () => {
    const { engine } = fixture();
    watch(engine, MetricZScoreFilter({ name: 'm', window: 4, threshold: 3 }));
    expect(feed(engine, 'r', 'm', [1, 2, 1, 2])).toEqual([0, 0, 0, 0]);
    const [firing] = engine.ingest(row('r', { m: 10 }));
    // μ = 1.5, σ = 0.5: z = 17
    expect(firing?.evidence).toMatchObject({
      values: [1, 2, 1, 2],
      aggregate: 1.5,
      zscore: 17,
      threshold: 3,
      direction: 'any',
    });
  });

  it('σ = 0: a different value is ±∞ and fires; the same value never fires', () => {
    const { engine } = fixture();
    watch(engine, MetricZScoreFilter({ name: 'm', window: 3, direction: 'decrease' }));
    expect(feed(engine, 'r', 'm', [5, 5, 5, 5, 6])).toEqual([0, 0, 0, 0, 0]);
    const { engine: e2 } = fixture();
    watch(e2, MetricZScoreFilter({ name: 'm', window: 3, direction: 'decrease' }));
    feed(e2, 'r', 'm', [5, 5, 5]);
    expect(e2.ingest(row('r', { m: 4 }))[0]?.evidence?.zscore).toBe(Number.NEGATIVE_INFINITY);
  });

  it('increase and decrease look one way only', () => {
    const { engine } = fixture();
    watch(engine, MetricZScoreFilter({ name: 'm', window: 4, threshold: 2, direction: 'increase' }));
    expect(feed(engine, 'r', 'm', [1, 2, 1, 2, -10, 1, 2, 20])).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('non-finite values (§3, §3.4)', () => {
  it('NaN and ±Infinity fire the non-finite trigger, given as numbers or as JSON text', () => {
    const { engine } = fixture();
    watch(engine, MetricNonFiniteFilter({ name: 'loss' }));
    expect(
      feed(engine, 'r', 'loss', [1, Number.NaN, 'NaN', 'Infinity', '-Infinity', Number.NEGATIVE_INFINITY, 2]),
    ).toEqual([0, 1, 1, 1, 1, 1, 0]);
    const [firing] = engine.ingest(row('r', { loss: 'nan' }));
    expect(firing?.evidence?.value).toBeNaN();
  });

  it('they are kept out of threshold, change and z-score windows', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('m').sum(2).eq(3));
    expect(feed(engine, 'r', 'm', [1, Number.NaN, 2])).toEqual([0, 0, 1]);
  });

  it('a null metric value means "not logged"', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('m').sum(2).eq(3));
    expect(feed(engine, 'r', 'm', [1])).toEqual([0]);
    expect(engine.ingest(row('r', { m: null }))).toHaveLength(0);
    expect(feed(engine, 'r', 'm', [2])).toEqual([1]);
  });
});

describe('steps and order (§3)', () => {
  it('a value whose step is not after the series last step is stale: dropped and reported', () => {
    const { engine, issues } = fixture();
    watch(engine, RunEvent.metric('m').sum(2).eq(3));
    engine.ingest(row('r', { m: 1 }, { step: 5 }));
    expect(engine.ingest(row('r', { m: 100 }, { step: 5 }))).toHaveLength(0);
    expect(engine.ingest(row('r', { m: 100 }, { step: 3 }))).toHaveLength(0);
    expect(engine.ingest(row('r', { m: 2 }, { step: 6 }))).toHaveLength(1);
    expect(issues.map((i) => [i.code, i.path, i.value])).toEqual([
      ['out_of_order', ['data', 'step'], 5],
      ['out_of_order', ['data', 'step'], 3],
    ]);
    expect(engine.stats().stale).toBe(2);
  });

  it('steps are per metric: another metric at the same step is not stale', () => {
    const { engine, issues } = fixture();
    watch(engine, RunEvent.metric('a').gt(0));
    watch(engine, RunEvent.metric('b').gt(0));
    engine.ingest(row('r', { a: 1 }, { step: 1 }));
    expect(engine.ingest(row('r', { b: 1 }, { step: 1 }))).toHaveLength(1);
    expect(issues).toEqual([]);
  });

  it('rows without a step apply in arrival order', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('m').max(2).eq(9));
    expect(feed(engine, 'r', 'm', [1, 9, 2, 3])).toEqual([0, 1, 1, 0]);
  });

  it('a row appends one value to each metric it names', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('a').sum(2).eq(2), { name: 'A' });
    watch(engine, RunEvent.metric('b').sum(2).eq(4), { name: 'B' });
    engine.ingest(row('r', { a: 1, b: 2 }));
    expect(engine.ingest(row('r', { a: 1, b: 2 })).map((f) => f.automationName)).toEqual(['A', 'B']);
  });
});

describe('scopes (§2)', () => {
  it('an entity scope watches every project of the entity, including new ones; a project scope only its own', () => {
    const { engine } = fixture();
    const entity = watch(engine, RunEvent.metric('m').gt(0), { scope: 'acme', name: 'entity' });
    watch(engine, RunEvent.metric('m').gt(0), { scope: 'acme/vision', name: 'project' });
    expect(engine.ingest(row('r', { m: 1 })).map((f) => f.automationName)).toEqual(['entity', 'project']);
    expect(engine.ingest(row('r', { m: 1 }, { project: 'brand-new' })).map((f) => f.automationId)).toEqual([
      entity.id,
    ]);
    expect(engine.ingest(row('r', { m: 1 }, { entity: 'other' }))).toHaveLength(0);
  });

  it('a run is (entity, project, runId): the same run id in two projects is two runs', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('m').sum(2).eq(2), { scope: 'acme' });
    engine.ingest(row('r', { m: 1 }, { project: 'a' }));
    expect(engine.ingest(row('r', { m: 1 }, { project: 'b' }))).toHaveLength(0);
    expect(engine.stats().runs).toBe(2);
  });
});

describe('run filters (§3.5)', () => {
  it('user is an exact match; runName an unanchored RE2 search; both must hold', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('m').gt(0), { name: 'ana', runFilter: { user: 'ana' } });
    watch(engine, RunEvent.metric('m').gt(0), { name: 'sweep', runFilter: { runName: 'sweep-' } });
    watch(engine, RunEvent.metric('m').gt(0), { name: 'anchored', runFilter: { runName: '^sweep-\\d+$' } });
    watch(engine, RunEvent.metric('m').gt(0), {
      name: 'both',
      runFilter: { user: 'ana', runName: '^sweep' },
    });
    const names = (extra: { runName?: string; user?: string }) =>
      engine.ingest(row(`r-${JSON.stringify(extra)}`, { m: 1 }, extra)).map((f) => f.automationName);
    expect(names({ user: 'ana', runName: 'sweep-12' })).toEqual(['ana', 'sweep', 'anchored', 'both']);
    expect(names({ user: 'anastasia', runName: 'my-sweep-1x' })).toEqual(['sweep']);
    expect(names({ user: 'bob', runName: 'sweep-3' })).toEqual(['sweep', 'anchored']);
    expect(names({ user: 'ana' })).toEqual(['ana']); // no name never matches a runName filter
  });

  it('the run keeps the latest name and user it was given', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('m').gt(0), { runFilter: { runName: '^final$' } });
    expect(engine.ingest(row('r', { m: 1 }, { runName: 'draft' }))).toHaveLength(0);
    expect(engine.ingest(row('r', { m: 1 }, { runName: 'final' }))).toHaveLength(1);
    expect(engine.ingest(row('r', { m: 1 }))).toHaveLength(1);
  });
});
