import { describe, expect, it } from 'vitest';
import { DefinitionError, MetricChangeFilter, MetricZScoreFilter, RunEvent } from '../../src/index.js';
import { feed, fixture, watch } from '../helpers/fixture.js';

describe('plateau: MetricChangeFilter direction flat (§3.2)', () => {
  it('fires while the loss still changes by less than the amount, not while it falls fast', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('val_loss').mean(2).plateaus({ frac: 0.05 }, { current: 2, prior: 2 }));
    // Falling by a third per step: never flat; then 0.5 four times: |d| = 0 < 5 %.
    const fired = feed(engine, 'r1', 'val_loss', [4, 3, 2, 1.5, 1, 0.5, 0.5, 0.5, 0.5]);
    expect(fired).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('the evidence says the change and the bound it stayed under', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('loss').plateaus({ diff: 0.1 }, { current: 1, prior: 1 }));
    feed(engine, 'r', 'loss', [1]);
    const [firing] = engine.ingest({
      id: 'p-1',
      source: '/t',
      type: 'run.metrics',
      data: { entity: 'acme', project: 'vision', runId: 'r', metrics: { loss: 1.05 } },
    });
    expect(firing?.evidence).toMatchObject({ direction: 'flat', amount: 0.1, changeType: 'absolute' });
    expect(firing?.evidence?.change).toBeCloseTo(0.05);
  });

  it('a relative plateau from a prior of 0 is undefined: nothing fires', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('m').plateaus({ frac: 0.5 }, { current: 1, prior: 1 }));
    expect(feed(engine, 'r', 'm', [0, 0, 0])).toEqual([0, 0, 0]);
  });

  it('plateaus(amount, windows) is the plain filter with direction flat', () => {
    expect(
      RunEvent.metric('val_loss').mean(10).plateaus({ frac: 0.01 }, { current: 10, prior: 50 }),
    ).toStrictEqual(
      MetricChangeFilter({
        name: 'val_loss',
        agg: 'mean',
        currentWindow: 10,
        priorWindow: 50,
        changeType: 'relative',
        direction: 'flat',
        amount: 0.01,
      }),
    );
  });

  it('FLAT is read in any case; a z-score filter takes no flat direction', () => {
    expect(MetricChangeFilter({ name: 'm', direction: 'FLAT', amount: 1 }).direction).toBe('flat');
    expect(() => MetricZScoreFilter({ name: 'm', direction: 'flat' as unknown as 'any' })).toThrow(
      DefinitionError,
    );
  });
});
