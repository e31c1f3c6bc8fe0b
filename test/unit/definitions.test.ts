import { describe, expect, it } from 'vitest';
import {
  DefinitionError,
  DoNothing,
  type Issue,
  isDefinitionError,
  MetricChangeFilter,
  MetricNonFiniteFilter,
  MetricThresholdFilter,
  MetricZScoreFilter,
  OnRunMetric,
  parseAutomation,
  type ScopeInput,
  SendNotification,
  SendWebhook,
} from '../../src/index.js';

/** The issues of the DefinitionError that `fn` throws; fails the test when it throws nothing or something else. */
function issuesOf(fn: () => unknown): readonly Issue[] {
  try {
    fn();
  } catch (error) {
    if (isDefinitionError(error)) return error.issues;
    throw error;
  }
  throw new Error('expected a DefinitionError, nothing was thrown');
}

/** The one issue `fn` reports, without its human message. */
function onlyIssue(fn: () => unknown): Pick<Issue, 'code' | 'path' | 'value'> {
  const issues = issuesOf(fn);
  expect(issues).toHaveLength(1);
  const [first] = issues;
  if (first === undefined) throw new Error('no issue');
  return { code: first.code, path: first.path, value: first.value };
}

/** Lets a test pass input the types forbid, to check the runtime refusal. */
function unchecked<T>(value: unknown): T {
  return value as T;
}

function isDeeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeeplyFrozen);
}

const filter = MetricThresholdFilter({ name: 'accuracy', cmp: '>', threshold: 0.9 });
const plainFilter = {
  type: 'MetricThresholdFilter',
  name: 'accuracy',
  window: 1,
  cmp: '>',
  threshold: 0.9,
} as const;

function runTrigger(scope: ScopeInput) {
  return OnRunMetric({ scope, filter });
}

describe('scopes', () => {
  it.each([
    ['acme', { type: 'entity', entity: 'acme' }],
    ['acme/vision', { type: 'project', entity: 'acme', project: 'vision' }],
    [{ entity: 'acme' }, { type: 'entity', entity: 'acme' }],
    [
      { entity: 'acme', project: 'vision' },
      { type: 'project', entity: 'acme', project: 'vision' },
    ],
    [
      { type: 'project', entity: 'acme', project: 'vision' },
      { type: 'project', entity: 'acme', project: 'vision' },
    ],
  ] as const)('reads %j as %j', (input, scope) => {
    expect(runTrigger(input).scope).toStrictEqual(scope);
  });

  // Run triggers refuse these scopes, and the refusal's value is the scope as read, so it shows the reading.
  it.each([
    ['acme/vision/resnet', { type: 'collection', entity: 'acme', project: 'vision', collection: 'resnet' }],
    [
      { entity: 'acme', registry: 'model' },
      { type: 'registry', entity: 'acme', registry: 'model' },
    ],
    [
      { entity: 'acme', project: 'vision', collection: 'resnet' },
      { type: 'collection', entity: 'acme', project: 'vision', collection: 'resnet' },
    ],
    [
      { entity: 'acme', registry: 'model', collection: 'resnet' },
      { type: 'collection', entity: 'acme', registry: 'model', collection: 'resnet' },
    ],
  ] as const)('reads %j as %j, which run triggers refuse', (input, scope) => {
    expect(onlyIssue(() => runTrigger(input))).toStrictEqual({
      code: 'scope_not_allowed',
      path: ['scope'],
      value: scope,
    });
  });

  it('names the kind of scope refused in the message', () => {
    const [issue] = issuesOf(() => runTrigger({ entity: 'acme', registry: 'model' }));
    expect(issue?.message).toBe('run triggers take an entity or project scope, not a registry scope');
  });

  it.each<[string, ScopeInput, string, readonly string[], unknown]>([
    ['an empty part', 'a//b', 'invalid_format', ['scope'], 'a//b'],
    ['four parts', 'a/b/c/d', 'invalid_format', ['scope'], 'a/b/c/d'],
    ['a trailing slash', 'acme/', 'invalid_format', ['scope'], 'acme/'],
    ['a leading slash', '/vision', 'invalid_format', ['scope'], '/vision'],
    ['the empty string', '', 'invalid_format', ['scope'], ''],
    [
      'a project and a registry',
      { entity: 'acme', project: 'vision', registry: 'model' },
      'invalid_value',
      ['scope', 'registry'],
      'model',
    ],
    [
      'a collection with no project or registry',
      { entity: 'acme', collection: 'resnet' },
      'invalid_value',
      ['scope', 'collection'],
      'resnet',
    ],
    ['a slash inside a name', { entity: 'ac/me' }, 'invalid_format', ['scope', 'entity'], 'ac/me'],
    [
      'a type that the fields contradict',
      { type: 'project', entity: 'acme' },
      'invalid_value',
      ['scope', 'type'],
      'project',
    ],
    ['an empty entity', { entity: '' }, 'too_small', ['scope', 'entity'], ''],
  ])('refuses a scope with %s, naming the field inside the scope', (_, input, code, path, value) => {
    const issues = issuesOf(() => runTrigger(input));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toStrictEqual(path);
    expect(issues[0]?.value).toStrictEqual(value);
    expect(issues[0]?.code).toBe(code);
  });

  it('throws a DefinitionError whose message names the definition and the field', () => {
    let thrown: unknown;
    try {
      runTrigger('a/b/c/d');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DefinitionError);
    expect((thrown as Error).message).toMatch(/^Invalid OnRunMetric: scope: /);
  });
});

describe('MetricThresholdFilter', () => {
  it('defaults window to 1 and keeps no agg', () => {
    expect(MetricThresholdFilter({ name: 'loss', cmp: '<', threshold: 0.5 })).toStrictEqual({
      type: 'MetricThresholdFilter',
      name: 'loss',
      window: 1,
      cmp: '<',
      threshold: 0.5,
    });
  });

  it('keeps window and agg: the average of the last 5 accuracy values above 0.6', () => {
    expect(
      MetricThresholdFilter({ name: 'accuracy', window: 5, agg: 'mean', cmp: '>', threshold: 0.6 }),
    ).toStrictEqual({
      type: 'MetricThresholdFilter',
      name: 'accuracy',
      window: 5,
      agg: 'mean',
      cmp: '>',
      threshold: 0.6,
    });
  });

  it('treats agg null as no agg', () => {
    expect(MetricThresholdFilter({ name: 'loss', agg: null, cmp: '>', threshold: 1 })).toStrictEqual({
      type: 'MetricThresholdFilter',
      name: 'loss',
      window: 1,
      cmp: '>',
      threshold: 1,
    });
  });

  it.each([
    ['min', 'min'],
    ['max', 'max'],
    ['mean', 'mean'],
    ['avg', 'mean'],
    ['average', 'mean'],
    ['sum', 'sum'],
  ] as const)('reads agg %s as %s', (agg, expected) => {
    expect(MetricThresholdFilter({ name: 'x', window: 3, agg, cmp: '>', threshold: 0 }).agg).toBe(expected);
  });

  it.each([
    ['>', '>'],
    ['>=', '>='],
    ['<', '<'],
    ['<=', '<='],
    ['==', '=='],
    ['!=', '!='],
    ['$gt', '>'],
    ['$gte', '>='],
    ['$lt', '<'],
    ['$lte', '<='],
    ['$eq', '=='],
    ['$ne', '!='],
  ] as const)('reads cmp %s as %s', (cmp, expected) => {
    expect(MetricThresholdFilter({ name: 'x', cmp, threshold: 0 }).cmp).toBe(expected);
  });

  it.each([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN])(
    'refuses the non-finite threshold %s',
    (threshold) => {
      expect(onlyIssue(() => MetricThresholdFilter({ name: 'x', cmp: '>', threshold }))).toStrictEqual({
        code: 'invalid_type',
        path: ['threshold'],
        value: threshold,
      });
    },
  );

  it('refuses a window above 1 with no agg', () => {
    expect(
      onlyIssue(() => MetricThresholdFilter({ name: 'x', window: 5, cmp: '>', threshold: 1 })),
    ).toStrictEqual({ code: 'custom', path: ['window'], value: 5 });
  });

  it.each([
    ['window 0', 0, 'too_small'],
    ['a negative window', -3, 'too_small'],
    ['a non-integer window', 2.5, 'invalid_type'],
    ['a window above 10000', 10_001, 'too_big'],
  ] as const)('refuses %s', (_, window, code) => {
    expect(
      onlyIssue(() => MetricThresholdFilter({ name: 'x', window, agg: 'mean', cmp: '>', threshold: 1 })),
    ).toStrictEqual({ code, path: ['window'], value: window });
  });

  it('accepts a window of exactly 10000', () => {
    expect(
      MetricThresholdFilter({ name: 'x', window: 10_000, agg: 'sum', cmp: '>', threshold: 1 }).window,
    ).toBe(10_000);
  });

  it('refuses an unknown cmp and an unknown agg', () => {
    expect(
      onlyIssue(() => MetricThresholdFilter({ name: 'x', cmp: unchecked('gt'), threshold: 1 })),
    ).toStrictEqual({ code: 'invalid_value', path: ['cmp'], value: 'gt' });
    expect(
      onlyIssue(() => MetricThresholdFilter({ name: 'x', agg: unchecked('median'), cmp: '>', threshold: 1 })),
    ).toStrictEqual({ code: 'invalid_value', path: ['agg'], value: 'median' });
  });

  it('refuses an empty metric name', () => {
    expect(onlyIssue(() => MetricThresholdFilter({ name: '', cmp: '>', threshold: 1 }))).toStrictEqual({
      code: 'too_small',
      path: ['name'],
      value: '',
    });
  });
});

describe('MetricChangeFilter', () => {
  it('defaults agg mean, current window 10, prior window 50, relative change', () => {
    expect(MetricChangeFilter({ name: 'loss', direction: 'decrease', amount: 0.25 })).toStrictEqual({
      type: 'MetricChangeFilter',
      name: 'loss',
      agg: 'mean',
      currentWindow: 10,
      priorWindow: 50,
      changeType: 'relative',
      direction: 'decrease',
      amount: 0.25,
    });
  });

  it('keeps what it is given, reading agg aliases', () => {
    expect(
      MetricChangeFilter({
        name: 'loss',
        agg: 'average',
        currentWindow: 3,
        priorWindow: 7,
        changeType: 'absolute',
        direction: 'any',
        amount: 2,
      }),
    ).toStrictEqual({
      type: 'MetricChangeFilter',
      name: 'loss',
      agg: 'mean',
      currentWindow: 3,
      priorWindow: 7,
      changeType: 'absolute',
      direction: 'any',
      amount: 2,
    });
  });

  it.each([0, -0.5])('refuses amount %s (must be > 0)', (amount) => {
    expect(onlyIssue(() => MetricChangeFilter({ name: 'x', direction: 'any', amount }))).toStrictEqual({
      code: 'custom',
      path: ['amount'],
      value: amount,
    });
  });

  it('refuses a non-finite amount', () => {
    expect(
      onlyIssue(() => MetricChangeFilter({ name: 'x', direction: 'any', amount: Number.POSITIVE_INFINITY })),
    ).toStrictEqual({ code: 'invalid_type', path: ['amount'], value: Number.POSITIVE_INFINITY });
  });

  it('says why in the message', () => {
    expect(() => MetricChangeFilter({ name: 'x', direction: 'any', amount: 0 })).toThrow(
      'Invalid MetricChangeFilter: amount: must be > 0 (custom)',
    );
  });

  it.each([
    ['currentWindow', 0, 'too_small'],
    ['priorWindow', 1.5, 'invalid_type'],
    ['priorWindow', 10_001, 'too_big'],
  ] as const)('refuses %s %s', (field, window, code) => {
    expect(
      onlyIssue(() => MetricChangeFilter({ name: 'x', direction: 'increase', amount: 1, [field]: window })),
    ).toStrictEqual({ code, path: [field], value: window });
  });

  it('refuses an unknown direction', () => {
    expect(
      onlyIssue(() => MetricChangeFilter({ name: 'x', direction: unchecked('up'), amount: 1 })),
    ).toStrictEqual({ code: 'invalid_value', path: ['direction'], value: 'up' });
  });
});

describe('MetricZScoreFilter', () => {
  it('defaults window 30, threshold 3, direction any', () => {
    expect(MetricZScoreFilter({ name: 'grad_norm' })).toStrictEqual({
      type: 'MetricZScoreFilter',
      name: 'grad_norm',
      window: 30,
      threshold: 3,
      direction: 'any',
    });
  });

  it('keeps what it is given', () => {
    expect(MetricZScoreFilter({ name: 'g', window: 2, threshold: 0.5, direction: 'increase' })).toStrictEqual(
      {
        type: 'MetricZScoreFilter',
        name: 'g',
        window: 2,
        threshold: 0.5,
        direction: 'increase',
      },
    );
  });

  it('refuses window 1 (no standard deviation from one value)', () => {
    expect(onlyIssue(() => MetricZScoreFilter({ name: 'g', window: 1 }))).toStrictEqual({
      code: 'too_small',
      path: ['window'],
      value: 1,
    });
  });

  it.each([0, -1])('refuses threshold %s', (threshold) => {
    expect(onlyIssue(() => MetricZScoreFilter({ name: 'g', threshold }))).toStrictEqual({
      code: 'custom',
      path: ['threshold'],
      value: threshold,
    });
  });
});

describe('MetricNonFiniteFilter', () => {
  it('is a name and a tag', () => {
    expect(MetricNonFiniteFilter({ name: 'loss' })).toStrictEqual({
      type: 'MetricNonFiniteFilter',
      name: 'loss',
    });
  });

  it('refuses a missing name', () => {
    expect(onlyIssue(() => MetricNonFiniteFilter(unchecked({})))).toStrictEqual({
      code: 'invalid_type',
      path: ['name'],
      value: undefined,
    });
  });
});

describe('actions', () => {
  it('DoNothing is only its tag', () => {
    expect(DoNothing()).toStrictEqual({ type: 'DoNothing' });
  });

  it('SendNotification fills title, message and severity', () => {
    expect(SendNotification({ integration: 'ml-alerts' })).toStrictEqual({
      type: 'SendNotification',
      integration: 'ml-alerts',
      title: '',
      message: '',
      severity: 'INFO',
    });
  });

  it('SendNotification reads text as message and level as severity', () => {
    expect(
      SendNotification({ integration: 'ml-alerts', title: 'T', text: 'hello', level: 'WARN' }),
    ).toStrictEqual({
      type: 'SendNotification',
      integration: 'ml-alerts',
      title: 'T',
      message: 'hello',
      severity: 'WARN',
    });
  });

  it('SendNotification prefers message and severity over their aliases', () => {
    expect(
      SendNotification({ integration: 'a', message: 'm', text: 't', severity: 'ERROR', level: 'WARN' }),
    ).toStrictEqual({
      type: 'SendNotification',
      integration: 'a',
      title: '',
      message: 'm',
      severity: 'ERROR',
    });
  });

  it('SendNotification refuses an unknown severity', () => {
    expect(
      onlyIssue(() => SendNotification({ integration: 'a', severity: unchecked('DEBUG') })),
    ).toStrictEqual({ code: 'invalid_value', path: ['severity'], value: 'DEBUG' });
  });

  it('SendWebhook keeps its payload, templates untouched', () => {
    expect(
      SendWebhook({
        integration: 'deployer',
        payload: { model: '${artifact_collection_name}', tags: ['a', 1, null], nested: { ok: true } },
      }),
    ).toStrictEqual({
      type: 'SendWebhook',
      integration: 'deployer',
      payload: { model: '${artifact_collection_name}', tags: ['a', 1, null], nested: { ok: true } },
    });
  });

  it('SendWebhook without payload has no payload key', () => {
    expect(SendWebhook({ integration: 'deployer' })).toStrictEqual({
      type: 'SendWebhook',
      integration: 'deployer',
    });
  });

  it('SendWebhook refuses an empty integration name', () => {
    expect(onlyIssue(() => SendWebhook({ integration: '' }))).toStrictEqual({
      code: 'too_small',
      path: ['integration'],
      value: '',
    });
  });
});

describe('OnRunMetric', () => {
  it('is the plain trigger data', () => {
    expect(OnRunMetric({ scope: 'acme/vision', filter })).toStrictEqual({
      type: 'OnRunMetric',
      scope: { type: 'project', entity: 'acme', project: 'vision' },
      filter: plainFilter,
    });
  });

  it('keeps a run filter, and drops an empty one', () => {
    expect(
      OnRunMetric({ scope: 'acme', filter, runFilter: { user: 'ana', runName: '^sweep-' } }),
    ).toStrictEqual({
      type: 'OnRunMetric',
      scope: { type: 'entity', entity: 'acme' },
      filter: plainFilter,
      runFilter: { user: 'ana', runName: '^sweep-' },
    });
    expect(Object.keys(OnRunMetric({ scope: 'acme', filter, runFilter: {} }))).toStrictEqual([
      'type',
      'scope',
      'filter',
    ]);
  });

  it.each([
    ['(', 'missing closing )'],
    ['(?=a)', 'invalid or unsupported Perl syntax'],
    ['a**', 'invalid nested repetition operator'],
    ['[b-a]', 'invalid character class range'],
  ])('refuses the runName %s, which is no RE2 pattern', (runName, reason) => {
    const issues = issuesOf(() => OnRunMetric({ scope: 'acme', filter, runFilter: { runName } }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      code: 'invalid_pattern',
      path: ['runFilter', 'runName'],
      value: runName,
    });
    expect(issues[0]?.message).toContain(reason);
  });

  it('refuses a filter of unknown type, naming the choices', () => {
    const issues = issuesOf(() => OnRunMetric({ scope: 'acme', filter: unchecked({ type: 'Median' }) }));
    expect(issues).toStrictEqual([
      {
        code: 'invalid_value',
        path: ['filter', 'type'],
        message:
          'expected type to be one of MetricThresholdFilter, MetricChangeFilter, MetricZScoreFilter, MetricNonFiniteFilter',
        value: 'Median',
      },
    ]);
  });

  it('re-validates a filter passed as plain data, with its path', () => {
    const bad = unchecked<typeof filter>({ ...plainFilter, threshold: Number.NaN });
    expect(onlyIssue(() => OnRunMetric({ scope: 'acme', filter: bad }))).toStrictEqual({
      code: 'invalid_type',
      path: ['filter', 'threshold'],
      value: Number.NaN,
    });
  });
});

describe('triggers are not thenables', () => {
  const trigger = OnRunMetric({ scope: 'acme', filter });

  it('has a non-enumerable do', () => {
    expect(typeof trigger.do).toBe('function');
    expect(Object.getOwnPropertyDescriptor(trigger, 'do')?.enumerable).toBe(false);
    expect(Object.keys(trigger)).not.toContain('do');
    expect(JSON.stringify(trigger)).not.toContain('"do"');
  });

  it('has no then, so await gives back the trigger itself', async () => {
    expect('then' in trigger).toBe(false);
    expect(await trigger).toBe(trigger);
    expect(await Promise.resolve(trigger)).toBe(trigger);
    const fromAsync = async () => trigger;
    expect(await fromAsync()).toBe(trigger);
  });

  it('do(action) makes a NewAutomation of the trigger and the action', () => {
    const automation = trigger.do(SendNotification({ integration: 'ml-alerts', title: 'T', message: 'm' }));
    expect(automation.event).toBe(trigger);
    expect(automation).toStrictEqual({
      event: { type: 'OnRunMetric', scope: { type: 'entity', entity: 'acme' }, filter: plainFilter },
      action: {
        type: 'SendNotification',
        integration: 'ml-alerts',
        title: 'T',
        message: 'm',
        severity: 'INFO',
      },
    });
  });

  it('do(action) validates a plain action, reading its aliases', () => {
    const action = unchecked<ReturnType<typeof DoNothing>>({
      type: 'SendNotification',
      integration: 'x',
      text: 'hi',
      level: 'ERROR',
    });
    expect(trigger.do(action).action).toStrictEqual({
      type: 'SendNotification',
      integration: 'x',
      title: '',
      message: 'hi',
      severity: 'ERROR',
    });
  });

  it('do(action) refuses an action of unknown type', () => {
    expect(onlyIssue(() => trigger.do(unchecked({ type: 'SendFax' })))).toStrictEqual({
      code: 'invalid_value',
      path: ['action', 'type'],
      value: 'SendFax',
    });
  });
});

describe('parseAutomation', () => {
  const plain = {
    name: 'loss-drop',
    description: 'average loss fell by a quarter',
    enabled: false,
    cooldownMs: 0,
    event: {
      type: 'OnRunMetric',
      scope: { entity: 'acme', project: 'vision' },
      filter: { type: 'MetricChangeFilter', name: 'loss', agg: 'avg', direction: 'decrease', amount: 0.25 },
      runFilter: { runName: '^sweep-' },
    },
    action: { type: 'SendWebhook', integration: 'deployer', payload: { run: '${run_name}' } },
  };
  const normalised = {
    event: {
      type: 'OnRunMetric',
      scope: { type: 'project', entity: 'acme', project: 'vision' },
      filter: {
        type: 'MetricChangeFilter',
        name: 'loss',
        agg: 'mean',
        currentWindow: 10,
        priorWindow: 50,
        changeType: 'relative',
        direction: 'decrease',
        amount: 0.25,
      },
      runFilter: { runName: '^sweep-' },
    },
    action: { type: 'SendWebhook', integration: 'deployer', payload: { run: '${run_name}' } },
    name: 'loss-drop',
    description: 'average loss fell by a quarter',
    enabled: false,
    cooldownMs: 0,
  };

  it('reads an object', () => {
    expect(parseAutomation(plain)).toStrictEqual(normalised);
  });

  it('reads JSON text', () => {
    expect(parseAutomation(JSON.stringify(plain))).toStrictEqual(normalised);
  });

  it('reads what trigger.do(action) makes, after JSON', () => {
    const made = OnRunMetric({ scope: 'acme', filter }).do(DoNothing());
    expect(parseAutomation(JSON.stringify(made))).toStrictEqual(made);
  });

  it('refuses text that is not JSON, with code invalid_format at the root', () => {
    const issues = issuesOf(() => parseAutomation('{"event": '));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'invalid_format', path: [], value: '{"event": ' });
    expect(issues[0]?.message).toMatch(/^not JSON: /);
  });

  it('refuses JSON that is not an object', () => {
    expect(onlyIssue(() => parseAutomation(42))).toStrictEqual({ code: 'invalid_type', path: [], value: 42 });
    expect(onlyIssue(() => parseAutomation('"text"'))).toStrictEqual({
      code: 'invalid_type',
      path: [],
      value: 'text',
    });
  });

  it('names nested fields by their full path', () => {
    const json = JSON.stringify({
      event: {
        type: 'OnRunMetric',
        scope: 'acme',
        filter: { type: 'MetricThresholdFilter', name: 'x', cmp: '>', threshold: 'high' },
      },
      action: { type: 'DoNothing' },
    });
    expect(onlyIssue(() => parseAutomation(json))).toStrictEqual({
      code: 'invalid_type',
      path: ['event', 'filter', 'threshold'],
      value: 'high',
    });
  });

  it('reports every bad field at once', () => {
    const issues = issuesOf(() =>
      parseAutomation({
        event: {
          type: 'OnRunMetric',
          scope: 'acme/vision/resnet',
          filter: { type: 'MetricZScoreFilter', name: 'g' },
          runFilter: { runName: '(' },
        },
        action: { type: 'Email' },
        cooldownMs: -1,
      }),
    );
    expect(issues.map((i) => [i.code, i.path])).toStrictEqual([
      ['invalid_pattern', ['event', 'runFilter', 'runName']],
      ['scope_not_allowed', ['event', 'scope']],
      ['invalid_value', ['action', 'type']],
      ['too_small', ['cooldownMs']],
    ]);
  });

  it('refuses a collection scope on a run trigger with path event.scope', () => {
    const issues = issuesOf(() =>
      parseAutomation({
        event: { type: 'OnRunMetric', scope: 'acme/vision/resnet', filter: plainFilter },
        action: { type: 'DoNothing' },
      }),
    );
    expect(issues.map((i) => [i.code, i.path])).toStrictEqual([['scope_not_allowed', ['event', 'scope']]]);
  });

  it('refuses an event with no type tag', () => {
    expect(
      onlyIssue(() =>
        parseAutomation({ event: { scope: 'acme', filter: plainFilter }, action: DoNothing() }),
      ),
    ).toStrictEqual({ code: 'invalid_value', path: ['event', 'type'], value: undefined });
  });

  it('refuses a nested zscore window of 1 with its full path', () => {
    expect(
      onlyIssue(() =>
        parseAutomation({
          event: {
            type: 'OnRunMetric',
            scope: 'acme',
            filter: { type: 'MetricZScoreFilter', name: 'g', window: 1 },
          },
          action: { type: 'DoNothing' },
        }),
      ),
    ).toStrictEqual({ code: 'too_small', path: ['event', 'filter', 'window'], value: 1 });
  });
});

describe('every definition is frozen, tagged plain data that JSON round-trips', () => {
  const definitions: readonly [string, { readonly type: string }][] = [
    [
      'MetricThresholdFilter',
      MetricThresholdFilter({ name: 'a', window: 5, agg: 'avg', cmp: '$gte', threshold: 1 }),
    ],
    ['MetricChangeFilter', MetricChangeFilter({ name: 'loss', direction: 'decrease', amount: 0.25 })],
    ['MetricZScoreFilter', MetricZScoreFilter({ name: 'g' })],
    ['MetricNonFiniteFilter', MetricNonFiniteFilter({ name: 'loss' })],
    ['DoNothing', DoNothing()],
    ['SendNotification', SendNotification({ integration: 'a', text: 't', level: 'ERROR' })],
    ['SendWebhook', SendWebhook({ integration: 'h', payload: { a: { b: [1, { c: '${run_id}' }] } } })],
    ['OnRunMetric', OnRunMetric({ scope: 'acme/vision', filter, runFilter: { user: 'ana', runName: '^x' } })],
  ];

  it.each(definitions)('%s', (type, definition) => {
    expect(definition.type).toBe(type);
    expect(isDeeplyFrozen(definition)).toBe(true);
    expect(Object.getPrototypeOf(definition)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(definition))).toStrictEqual(definition);
  });

  it('a frozen definition cannot be changed', () => {
    const f = MetricThresholdFilter({ name: 'a', cmp: '>', threshold: 1 });
    expect(() => {
      (f as { threshold: number }).threshold = 2;
    }).toThrow(TypeError);
    expect(f.threshold).toBe(1);
  });

  it('trigger.do(action) and parseAutomation give deeply frozen automations', () => {
    const made = OnRunMetric({ scope: 'acme', filter }).do(
      SendWebhook({ integration: 'h', payload: { a: [1] } }),
    );
    expect(isDeeplyFrozen(made)).toBe(true);
    expect(isDeeplyFrozen(parseAutomation(JSON.stringify(made)))).toBe(true);
    expect(JSON.parse(JSON.stringify(made))).toStrictEqual(made);
  });

  it('the factories do not freeze or keep the caller’s objects', () => {
    const payload = { a: { b: 1 } };
    const webhook = SendWebhook({ integration: 'h', payload });
    expect(Object.isFrozen(payload)).toBe(false);
    payload.a.b = 2;
    expect(webhook.payload).toStrictEqual({ a: { b: 1 } });
  });
});

describe('isDefinitionError', () => {
  it('is true for a DefinitionError and for an Error named DefinitionError', () => {
    const error = new DefinitionError([{ code: 'custom', path: ['x'], message: 'bad', value: 1 }]);
    expect(isDefinitionError(error)).toBe(true);
    expect(error.name).toBe('DefinitionError');
    expect(error.message).toBe('Invalid definition: x: bad (custom)');
    const foreign = new Error('from another copy of the library');
    foreign.name = 'DefinitionError';
    expect(isDefinitionError(foreign)).toBe(true);
  });

  it('is false for anything else', () => {
    expect(isDefinitionError(new Error('x'))).toBe(false);
    expect(isDefinitionError(new TypeError('x'))).toBe(false);
    expect(isDefinitionError({ name: 'DefinitionError', issues: [] })).toBe(false);
    expect(isDefinitionError(null)).toBe(false);
    expect(isDefinitionError(undefined)).toBe(false);
    expect(isDefinitionError('DefinitionError')).toBe(false);
  });

  it('is true for what a factory throws', () => {
    let thrown: unknown;
    try {
      MetricZScoreFilter({ name: 'g', window: 1 });
    } catch (error) {
      thrown = error;
    }
    expect(isDefinitionError(thrown)).toBe(true);
  });
});
