// W&B's SDK (wandb/automations, `_filters/run_metrics.py`, `_filters/run_states.py`, `actions.py`,
// `_validators.py`) reads its enums with `LenientStrEnum`, whose lookup ignores case, and upper-cases
// severities (`upper_if_str`). These tests name the published behaviour each one follows.
import { describe, expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  type Issue,
  isDefinitionError,
  MetricChangeFilter,
  MetricThresholdFilter,
  MetricZScoreFilter,
  OnRunMetric,
  OnRunState,
  parseAutomation,
  RunEvent,
  SendNotification,
  SlackIntegration,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

function issuesOf(fn: () => unknown): readonly Issue[] {
  try {
    fn();
  } catch (error) {
    if (isDefinitionError(error)) return error.issues;
    throw error;
  }
  throw new Error('expected a DefinitionError, nothing was thrown');
}

const spelt = <T>(value: unknown): T => value as T;

describe('W&B enum spellings, any case, normalised to ours', () => {
  it.each([
    ['AVERAGE', 'mean'],
    ['Average', 'mean'],
    ['average', 'mean'],
    ['AVG', 'mean'],
    ['MEAN', 'mean'],
    ['MIN', 'min'],
    ['max', 'max'],
    ['Max', 'max'],
    ['SUM', 'sum'],
  ])('Agg (LenientStrEnum: MAX, MIN, AVERAGE): agg %s is %s', (agg, ours) => {
    const f = MetricThresholdFilter(spelt({ name: 'acc', window: 5, agg, cmp: '$gt', threshold: 0.6 }));
    expect(f.agg).toBe(ours);
  });

  it.each([
    ['RELATIVE', 'relative'],
    ['ABSOLUTE', 'absolute'],
    ['Absolute', 'absolute'],
  ])('ChangeType (LenientStrEnum: ABSOLUTE, RELATIVE): %s is %s', (changeType, ours) => {
    const f = MetricChangeFilter(spelt({ name: 'loss', direction: 'any', amount: 1, changeType }));
    expect(f.changeType).toBe(ours);
  });

  it.each([
    ['INCREASE', 'increase'],
    ['DECREASE', 'decrease'],
    ['ANY', 'any'],
    ['Decrease', 'decrease'],
  ])('ChangeDir (LenientStrEnum: INCREASE, DECREASE, ANY): %s is %s', (direction, ours) => {
    expect(MetricChangeFilter(spelt({ name: 'l', direction, amount: 1 })).direction).toBe(ours);
    expect(MetricZScoreFilter(spelt({ name: 'l', direction })).direction).toBe(ours);
  });

  it('ReportedRunState (LenientStrEnum: RUNNING, FINISHED, FAILED; CRASHED = FAILED), de-duplicated as StateFilter does', () => {
    const t = OnRunState(
      spelt({ scope: 'acme', states: ['CRASHED', 'Failed', 'RUNNING', 'finished', 'FINISHED'] }),
    );
    expect(t.states).toStrictEqual(['running', 'finished', 'failed']);
  });

  it('pending and killed stay refused in any case', () => {
    expect(issuesOf(() => OnRunState(spelt({ scope: 'a', states: ['PENDING'] })))[0]?.message).toBe(
      'pending is not a triggerable state',
    );
    expect(issuesOf(() => OnRunState(spelt({ scope: 'a', states: ['Killed'] })))[0]?.message).toBe(
      'killed never triggers',
    );
  });

  it('SendNotification severity is upper-cased (upper_if_str): info, Warn, error', () => {
    expect(SendNotification(spelt({ integration: 'x', severity: 'info' })).severity).toBe('INFO');
    expect(SendNotification(spelt({ integration: 'x', level: 'Warn' })).severity).toBe('WARN');
    expect(SendNotification(spelt({ integration: 'x', severity: 'error' })).severity).toBe('ERROR');
    expect(issuesOf(() => SendNotification(spelt({ integration: 'x', severity: 'critical' })))).toHaveLength(
      1,
    );
  });

  it('a saved automation holds only our canonical form', () => {
    const slack = SlackIntegration({ webhookUrl: 'http://127.0.0.1:9/slack' });
    const engine = createEngine({ clock: new VirtualClock(0), integrations: { slack } });
    const json = {
      event: {
        type: 'OnRunMetric',
        scope: 'acme/vision',
        filter: {
          type: 'MetricChangeFilter',
          name: 'loss',
          agg: 'AVERAGE',
          changeType: 'ABSOLUTE',
          direction: 'DECREASE',
          amount: 1,
        },
      },
      action: { type: 'SendNotification', integration: 'slack', severity: 'warn' },
    };
    const saved = engine.save(parseAutomation(json), { name: 'w&b' });
    expect(saved.event).toMatchObject({
      filter: { agg: 'mean', changeType: 'absolute', direction: 'decrease' },
    });
    expect(saved.action).toMatchObject({ severity: 'WARN' });
    expect(engine.exportAutomations().automations[0]).toStrictEqual(saved);
  });
});

describe("W&B's z-score chain (ZScoreMetricOperand)", () => {
  const zscore = (threshold: number, direction: 'increase' | 'decrease' | 'any') =>
    MetricZScoreFilter({ name: 'loss', window: 30, threshold, direction });

  it('zscore(30).gt(3): `metric.zscore(30) > 3` detects increases above 3 standard deviations', () => {
    expect(RunEvent.metric('loss').zscore(30).gt(3)).toStrictEqual(zscore(3, 'increase'));
    expect(RunEvent.metric('loss').zscore(30).gte(3)).toStrictEqual(zscore(3, 'increase'));
  });

  it('zscore(30).lt(-3): `metric.zscore(30) < -3` detects decreases, threshold 3', () => {
    expect(RunEvent.metric('loss').zscore(30).lt(-3)).toStrictEqual(zscore(3, 'decrease'));
    expect(RunEvent.metric('loss').zscore(30).lte(-3)).toStrictEqual(zscore(3, 'decrease'));
  });

  it('zscore(30).abs().gt(3): `abs(metric.zscore(30)) > 3` detects either direction', () => {
    expect(RunEvent.metric('loss').zscore(30).abs().gt(3)).toStrictEqual(zscore(3, 'any'));
  });

  it('lt with a non-negative threshold is refused ("Negative z-score threshold required")', () => {
    const [only] = issuesOf(() => RunEvent.metric('loss').zscore(30).lt(3));
    expect(only).toMatchObject({ code: 'invalid_value', path: ['threshold'], value: 3 });
    expect(only?.message).toMatch(/negative/);
    expect(only?.message).toMatch(/\.gt\(3\)/);
    expect(issuesOf(() => RunEvent.metric('loss').zscore(30).lt(0))).toHaveLength(1);
  });

  it('gt with a non-positive threshold is refused ("Expected positive threshold")', () => {
    const [only] = issuesOf(() => RunEvent.metric('loss').zscore(30).gt(-3));
    expect(only).toMatchObject({ code: 'invalid_value', path: ['threshold'], value: -3 });
    expect(only?.message).toMatch(/\.lt\(-3\)/);
    expect(issuesOf(() => RunEvent.metric('loss').zscore(30).abs().gt(0))).toHaveLength(1);
  });

  it('abs() cannot be compared with < ("Cannot use absolute z-score with < operator")', () => {
    const abs = RunEvent.metric('loss').zscore(30).abs() as unknown as { lt(t: number): unknown };
    expect(issuesOf(() => abs.lt(-3))).toMatchObject([{ code: 'invalid_value' }]);
  });

  it('zscore(30) alone is still the plain filter, and zscore(30, options) too', () => {
    const plain = RunEvent.metric('loss').zscore(30);
    expect(plain).toStrictEqual(zscore(3, 'any'));
    expect(Object.keys(plain)).toStrictEqual(['type', 'name', 'window', 'threshold', 'direction']);
    expect(JSON.parse(JSON.stringify(plain))).toStrictEqual(zscore(3, 'any'));
    expect(Object.isFrozen(plain)).toBe(true);
    expect(RunEvent.metric('loss').zscore(30, { threshold: 4, direction: 'increase' })).toStrictEqual(
      zscore(4, 'increase'),
    );
    const trigger = OnRunMetric({ scope: 'a', filter: RunEvent.metric('loss').zscore(30).lt(-2.5) });
    expect(trigger.filter).toStrictEqual(zscore(2.5, 'decrease'));
    expect(parseAutomation(JSON.stringify(trigger.do(DoNothing())))).toStrictEqual(trigger.do(DoNothing()));
  });
});
