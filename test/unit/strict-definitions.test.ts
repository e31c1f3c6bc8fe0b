import { describe, expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  events,
  type Issue,
  isDefinitionError,
  MetricChangeFilter,
  MetricNonFiniteFilter,
  MetricThresholdFilter,
  MetricZScoreFilter,
  type NewAutomation,
  OnAddArtifactTag,
  OnCreateArtifact,
  OnEvent,
  OnRunMetric,
  OnRunState,
  parseAutomation,
  RunEvent,
  SendNotification,
  SendWebhook,
  SlackIntegration,
  WebhookIntegration,
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

/** The one issue `fn` reports: code, path and value (and the message, checked to name the value). */
function unknownKey(fn: () => unknown): Pick<Issue, 'code' | 'path' | 'value'> {
  const issues = issuesOf(fn);
  expect(issues).toHaveLength(1);
  const [only] = issues;
  if (only === undefined) throw new Error('no issue');
  expect(only.message).toContain(JSON.stringify(only.value));
  return { code: only.code, path: only.path, value: only.value };
}

/** Lets a test pass input the types forbid, to check the runtime refusal. */
function unchecked<T>(value: unknown): T {
  return value as T;
}

const threshold = MetricThresholdFilter({ name: 'loss', cmp: '<', threshold: 0.1 });
const automation = (event: object, action: object = { type: 'DoNothing' }) => ({ event, action });
const metric = (filter: object, more: object = {}) =>
  automation({ type: 'OnRunMetric', scope: 'acme/vision', filter, ...more });

describe('nothing a user writes is silently dropped: unknown keys are refused', () => {
  const cases: [string, () => unknown, readonly (string | number)[], string][] = [
    ['a threshold filter', () => MetricThresholdFilter(unchecked({ ...threshold, windw: 5 })), [], 'windw'],
    [
      'a change filter',
      () => MetricChangeFilter(unchecked({ name: 'l', direction: 'any', amount: 1, current: 3 })),
      [],
      'current',
    ],
    ['a z-score filter', () => MetricZScoreFilter(unchecked({ name: 'l', sigma: 3 })), [], 'sigma'],
    ['a non-finite filter', () => MetricNonFiniteFilter(unchecked({ name: 'l', window: 3 })), [], 'window'],
    [
      'a run metric trigger',
      () => OnRunMetric(unchecked({ scope: 'a', filter: threshold, cooldownMs: 0 })),
      [],
      'cooldownMs',
    ],
    [
      'a run state trigger',
      () => OnRunState(unchecked({ scope: 'a', states: ['failed'], state: 'x' })),
      [],
      'state',
    ],
    [
      'an object scope',
      () => OnRunMetric(unchecked({ scope: { entity: 'a', projekt: 'v' }, filter: threshold })),
      ['scope'],
      'projekt',
    ],
    [
      'a run filter',
      () => OnRunMetric(unchecked({ scope: 'a', filter: threshold, runFilter: { usr: 'ana' } })),
      ['runFilter'],
      'usr',
    ],
    ['an artifact trigger', () => OnCreateArtifact(unchecked({ scope: 'a', version: 3 })), [], 'version'],
    [
      'OnEvent (it used to keep any key)',
      () => OnEvent(unchecked({ subjectBeginWith: 'x' })),
      [],
      'subjectBeginWith',
    ],
    [
      'an advanced filter',
      () =>
        OnEvent(
          unchecked({ advancedFilters: [{ operatorType: 'IsNotNull', key: 'subject', negate: true }] }),
        ),
      ['advancedFilters', 0],
      'negate',
    ],
    [
      'SendNotification',
      () => SendNotification(unchecked({ integration: 'x', channel: '#ml' })),
      [],
      'channel',
    ],
    ['SendWebhook', () => SendWebhook(unchecked({ integration: 'x', body: {} })), [], 'body'],
    [
      'a trigger’s do(action)',
      () => OnRunState({ scope: 'a', states: ['failed'] }).do(unchecked({ type: 'DoNothing', x: 1 })),
      ['action'],
      'x',
    ],
    [
      'SlackIntegration',
      () => SlackIntegration(unchecked({ webhookUrl: 'http://127.0.0.1:9/s', channel: '#ml' })),
      [],
      'channel',
    ],
    [
      'WebhookIntegration',
      () => WebhookIntegration(unchecked({ url: 'http://127.0.0.1:9/h', secert: 'x' })),
      [],
      'secert',
    ],
    ['an automation', () => parseAutomation({ ...metric(threshold), cooldown: 0 }), [], 'cooldown'],
    [
      'an automation’s filter',
      () => parseAutomation(metric({ ...threshold, agg_op: 'MAX' })),
      ['event', 'filter'],
      'agg_op',
    ],
    [
      'a retry policy',
      () => parseAutomation({ ...metric(threshold), retryPolicy: { attempts: 3 } }),
      ['retryPolicy'],
      'attempts',
    ],
  ];

  it.each(cases)('%s', (_what, fn, path, key) => {
    expect(unknownKey(fn)).toStrictEqual({ code: 'unrecognized_keys', path, value: key });
  });

  it('a MongoDB-style run filter is kept as written; an unknown field in it is refused, naming the key', () => {
    const runFilter = { $and: [{ display_name: { $contains: 'my-run' } }] };
    expect(parseAutomation(metric(threshold, { runFilter })).event).toMatchObject({ runFilter });
    const bad = { $and: [{ display_nam: { $contains: 'my-run' } }] };
    const [only] = issuesOf(() => parseAutomation(metric(threshold, { runFilter: bad })));
    expect(only).toMatchObject({
      code: 'unrecognized_keys',
      path: ['event', 'runFilter', '$and', 0],
      value: 'display_nam',
    });
    expect(only?.message).toContain('"display_nam"');

    const engine = createEngine({ clock: new VirtualClock(0) });
    const draft = unchecked<NewAutomation>(metric(threshold, { runFilter: bad }));
    expect(issuesOf(() => engine.save(draft, { name: 'mongo' }))).toHaveLength(1);
    expect(engine.list()).toHaveLength(0);
    const row = { entity: 'acme', project: 'vision', runId: 'other-run', metrics: { loss: 0 } };
    expect(engine.ingest(events.runMetrics(row))).toHaveLength(0);
  });

  it('W&B field names on a change filter are refused, not read as the defaults', () => {
    const wandb = { type: 'MetricChangeFilter', name: 'loss', direction: 'increase', amount: 0.1 };
    const issues = issuesOf(() =>
      parseAutomation(metric({ ...wandb, window_size: 10, change_dir: 'INCREASE' })),
    );
    expect(issues.map((i) => [i.code, i.path, i.value])).toStrictEqual([
      ['unrecognized_keys', ['event', 'filter'], 'window_size'],
      ['unrecognized_keys', ['event', 'filter'], 'change_dir'],
    ]);
    // The message says what we call it.
    expect(issues[1]?.message).toMatch(/"direction"/);
  });

  it('a save draft and an import document refuse unknown keys too', () => {
    const engine = createEngine({ clock: new VirtualClock(0) });
    const draft = OnRunState({ scope: 'acme', states: ['failed'] }).do(DoNothing());
    expect(unknownKey(() => engine.save(unchecked({ ...draft, id: 'x' }), { name: 'n' }))).toStrictEqual({
      code: 'unrecognized_keys',
      path: [],
      value: 'id',
    });
    const doc = { ...engine.exportAutomations(), comment: 'mine' };
    expect(unknownKey(() => engine.importAutomations(doc, { mode: 'merge' }))).toStrictEqual({
      code: 'unrecognized_keys',
      path: [],
      value: 'comment',
    });
    const entry = { name: 'a', ...draft, enabledd: true };
    const withEntry = { ...engine.exportAutomations(), automations: [entry] };
    expect(unknownKey(() => engine.importAutomations(withEntry, { mode: 'merge' }))).toStrictEqual({
      code: 'unrecognized_keys',
      path: ['automations', 0],
      value: 'enabledd',
    });
  });

  it("an export's scope, derived from the event, must agree with it rather than be ignored", () => {
    const engine = createEngine({ clock: new VirtualClock(0) });
    const saved = engine.save(OnRunState({ scope: 'acme', states: ['failed'] }).do(DoNothing()), {
      name: 'n',
    });
    const moved = { ...engine.exportAutomations(), automations: [{ ...saved, scope: 'acme/vision' }] };
    expect(issuesOf(() => engine.importAutomations(moved, { mode: 'merge' }))).toMatchObject([
      { code: 'invalid_value', path: ['automations', 0, 'scope'] },
    ]);
    const same = { ...engine.exportAutomations(), automations: [{ ...saved, scope: { entity: 'acme' } }] };
    expect(engine.importAutomations(same, { mode: 'merge' }).unchanged).toStrictEqual([saved.id]);
  });

  it('type stays an allowed key everywhere', () => {
    expect(
      MetricThresholdFilter(
        unchecked({ type: 'MetricThresholdFilter', name: 'loss', cmp: '<', threshold: 0.1 }),
      ),
    ).toStrictEqual(threshold);
    expect(
      OnRunMetric({ scope: { type: 'project', entity: 'a', project: 'b' }, filter: threshold }).scope,
    ).toStrictEqual({
      type: 'project',
      entity: 'a',
      project: 'b',
    });
    expect(
      SlackIntegration(unchecked({ type: 'SlackIntegration', webhookUrl: 'http://127.0.0.1:9/s' })).type,
    ).toBe('SlackIntegration');
  });
});

describe('also refused', () => {
  it('a second aggregation in the builder: avg(10).max(5)', () => {
    const [only] = issuesOf(() => RunEvent.metric('x').avg(10).max(5));
    expect(only).toMatchObject({ code: 'invalid_value', value: 'max' });
    expect(only?.message).toMatch(/avg\(10\)/);
  });

  it('an aggregation before zscore() or nonFinite(), which take none', () => {
    expect(issuesOf(() => RunEvent.metric('x').mean(5).zscore(30))).toHaveLength(1);
    expect(issuesOf(() => RunEvent.metric('x').max(2).nonFinite())).toHaveLength(1);
  });

  it('changesBy({ diff, frac }) with both, or with neither', () => {
    const both = issuesOf(() => RunEvent.metric('x').changesBy(unchecked({ diff: 1, frac: 0.1 })));
    expect(both).toMatchObject([{ code: 'invalid_value', path: [] }]);
    expect(both[0]?.message).toMatch(/exactly one of diff or frac/);
    expect(issuesOf(() => RunEvent.metric('x').increasesBy(unchecked({})))).toHaveLength(1);
    expect(
      issuesOf(() => RunEvent.metric('x').decreasesBy(unchecked({ diff: 1, fraction: 2 }))),
    ).toMatchObject([{ code: 'unrecognized_keys', value: 'fraction' }]);
  });

  it('StringBeginsWith / StringEndsWith / StringContains with an empty string: it would match everything', () => {
    for (const operatorType of ['StringBeginsWith', 'StringEndsWith', 'StringContains'] as const) {
      const json = automation({
        type: 'OnEvent',
        advancedFilters: [
          { operatorType: 'IsNotNull', key: 'subject' },
          { operatorType, key: 'data.name', values: ['models/', ''] },
        ],
      });
      const [only, ...rest] = issuesOf(() =>
        createEngine({ clock: new VirtualClock(0) }).save(unchecked(json), { name: 'n' }),
      );
      expect(rest).toHaveLength(0);
      expect(only).toMatchObject({ path: ['event', 'advancedFilters', 1, 'values', 1], value: '' });
      expect(only?.message).toMatch(/match every/);
    }
    // The Not operators and StringIn may compare with the empty string.
    const fine = OnEvent({ advancedFilters: [{ operatorType: 'StringIn', key: 'subject', values: [''] }] });
    expect(fine.advancedFilters).toHaveLength(1);
  });
});

describe('accepted', () => {
  it('OnRunState states with duplicates, de-duplicated before they are counted', () => {
    const t = OnRunState({ scope: 'acme', states: ['failed', 'crashed', 'failed', 'running', 'finished'] });
    expect(t.states).toStrictEqual(['running', 'finished', 'failed']);
  });

  it('null for an optional field means absent (W&B sends null)', () => {
    const n = unchecked<never>;
    expect(MetricThresholdFilter(n({ ...threshold, window: null, agg: null }))).toStrictEqual(threshold);
    expect(
      MetricChangeFilter(
        n({
          name: 'l',
          direction: 'any',
          amount: 1,
          agg: null,
          currentWindow: null,
          priorWindow: null,
          changeType: null,
        }),
      ),
    ).toStrictEqual(MetricChangeFilter({ name: 'l', direction: 'any', amount: 1 }));
    expect(
      MetricZScoreFilter(n({ name: 'l', window: null, threshold: null, direction: null })),
    ).toStrictEqual(MetricZScoreFilter({ name: 'l' }));
    expect(
      OnRunMetric(
        n({
          scope: { entity: 'a', project: null, registry: null, type: null },
          filter: threshold,
          runFilter: null,
        }),
      ),
    ).toStrictEqual(OnRunMetric({ scope: 'a', filter: threshold }));
    expect(
      OnRunState(n({ scope: 'a', states: ['failed'], runFilter: { user: null, runName: 'x' } })).runFilter,
    ).toStrictEqual({
      runName: 'x',
    });
    expect(OnAddArtifactTag(n({ scope: 'a', collection: null, tag: null, alias: null }))).toStrictEqual(
      OnAddArtifactTag({ scope: 'a' }),
    );
    expect(OnEvent(n({ scope: null, subjectBeginsWith: null }))).toStrictEqual(OnEvent({}));
    expect(
      SendNotification(
        n({ integration: 'x', title: null, message: null, text: null, severity: null, level: null }),
      ),
    ).toStrictEqual(SendNotification({ integration: 'x' }));
    expect(SendWebhook(n({ integration: 'x', payload: null }))).toStrictEqual(
      SendWebhook({ integration: 'x' }),
    );
    expect(
      WebhookIntegration(
        n({ url: 'http://127.0.0.1:9/h', secret: null, accessToken: null, headers: null, secrets: null }),
      ),
    ).toStrictEqual(WebhookIntegration({ url: 'http://127.0.0.1:9/h' }));
    const base = metric(threshold);
    const nulls = {
      name: null,
      description: null,
      enabled: null,
      cooldownMs: null,
      retryPolicy: null,
      rateLimit: null,
    };
    expect(parseAutomation({ ...base, ...nulls })).toStrictEqual(parseAutomation(base));
    expect(
      parseAutomation({
        ...base,
        retryPolicy: { maxDeliveryAttempts: null },
        rateLimit: { perSecond: 1, burst: null, onLimit: null },
      }),
    ).toStrictEqual(parseAutomation({ ...base, retryPolicy: {}, rateLimit: { perSecond: 1 } }));
  });

  it('a required field given null is still refused', () => {
    expect(
      issuesOf(() => MetricThresholdFilter(unchecked({ name: 'l', cmp: '>', threshold: null }))),
    ).toMatchObject([{ code: 'invalid_type', path: ['threshold'], value: null }]);
  });

  // Changed by issue 13: in a patch `null` unsets an optional field, so it is refused only for a required one.
  it('in an update patch, null is no "absent": it takes an optional field away, and cannot take a required one', () => {
    const engine = createEngine({ clock: new VirtualClock(0) });
    const saved = engine.save(OnRunState({ scope: 'a', states: ['failed'] }).do(DoNothing()), { name: 'n' });
    expect(issuesOf(() => engine.update(saved.id, unchecked({ name: null })))).toMatchObject([
      { code: 'invalid_type', path: ['name'] },
    ]);
    engine.update(saved.id, { description: 'd' });
    expect(engine.update(saved.id, { description: null })).not.toHaveProperty('description');
  });
});
