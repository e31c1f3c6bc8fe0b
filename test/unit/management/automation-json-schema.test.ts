import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADVANCED_OPERATORS,
  DoNothing,
  MetricChangeFilter,
  MetricNonFiniteFilter,
  MetricThresholdFilter,
  MetricZScoreFilter,
  OnAddArtifactTag,
  OnAddCollectionTag,
  OnCreateArtifact,
  OnEvent,
  OnLinkArtifact,
  OnRemoveArtifactTag,
  OnRemoveCollectionTag,
  OnRunMetric,
  OnRunState,
  OnUnlinkArtifact,
  parseAutomation,
  RunEvent,
  SendNotification,
  SendWebhook,
} from '../../../src/index.js';
import { automationJsonSchema } from '../../../src/schema/automation-json-schema.js';
import { core, saveVariety } from './helpers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const { FC_RUNS } = process.env;
const numRuns = Number(FC_RUNS ?? 200);

// Strict, so a keyword misspelt or misplaced in the schema fails here rather than being ignored.
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
const validate = ajv.compile(automationJsonSchema());

function parses(json: unknown): boolean {
  try {
    parseAutomation(json);
    return true;
  } catch {
    return false;
  }
}
function valid(json: unknown): boolean {
  return validate(json) === true;
}
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const readmeExamples = [
  ...readFileSync(resolve(ROOT, 'README.md'), 'utf8').matchAll(/```json\n([\s\S]*?)```/g),
]
  .map((m) => JSON.parse(m[1] ?? '') as unknown)
  .filter((v) => typeof v === 'object' && v !== null && 'event' in v);
const fileExamples = JSON.parse(
  readFileSync(resolve(ROOT, 'src/cli/example/automations.json'), 'utf8'),
) as unknown[];

const automation = (event: unknown, action: unknown = { type: 'DoNothing' }) => ({ event, action });
const metric = (filter: object, more: object = {}) =>
  automation({ type: 'OnRunMetric', scope: 'acme/vision', filter, ...more });
const threshold = { type: 'MetricThresholdFilter', name: 'loss', cmp: '<', threshold: 0.1 };
const zscore = { type: 'MetricZScoreFilter', name: 'g' };
const advanced = (filter: object) =>
  automation({ type: 'OnEvent', advancedFilters: [{ key: 'data.a', ...filter }] });

describe('automationJsonSchema', () => {
  it('is draft 2020-12, self-contained, and a fresh copy each time', () => {
    const schema = automationJsonSchema();
    const { $schema } = schema;
    expect($schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    expect(automationJsonSchema()).toEqual(schema);
    expect(automationJsonSchema()).not.toBe(schema);
  });

  it("accepts every example definition in the repo: the README's and the demo's", () => {
    expect(readmeExamples.length).toBeGreaterThan(0);
    expect(fileExamples.length).toBeGreaterThan(0);
    for (const example of [...readmeExamples, ...fileExamples]) {
      expect(parses(example)).toBe(true);
      expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('accepts what the factories build, and saved automations, as JSON', () => {
    const built = [
      OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('loss').mean(5).gt(1) }).do(DoNothing()),
      OnRunMetric({
        scope: 'acme',
        filter: MetricChangeFilter({ name: 'l', direction: 'any', amount: 2 }),
      }).do(DoNothing()),
      OnRunMetric({ scope: { entity: 'a' }, filter: MetricZScoreFilter({ name: 'g' }) }).do(DoNothing()),
      OnRunMetric({
        scope: 'a/b',
        filter: MetricNonFiniteFilter({ name: 'l' }),
        runFilter: { user: 'u' },
      }).do(DoNothing()),
      OnRunMetric({
        scope: 'a/b',
        filter: MetricNonFiniteFilter({ name: 'l' }),
        runFilter: { $and: [{ display_name: { $regex: '^sweep-' } }, { 'config.lr': { $lt: 0.01 } }] },
      }).do(DoNothing()),
      OnRunMetric({
        scope: 'a/b',
        filter: MetricThresholdFilter({ name: 'l', cmp: '$gte', threshold: 1 }),
      }).do(SendNotification({ integration: 'x', title: 't', message: 'm', severity: 'WARN' })),
      OnRunState({ scope: 'acme/vision', states: ['finished', 'crashed'] }).do(
        SendWebhook({ integration: 'x' }),
      ),
      OnCreateArtifact({ scope: 'acme/vision', collection: 'resnet', alias: '^best$' }).do(DoNothing()),
      OnLinkArtifact({ scope: { entity: 'acme', registry: 'model' } }).do(DoNothing()),
      OnUnlinkArtifact({ scope: 'acme/vision/resnet' }).do(DoNothing()),
      OnAddArtifactTag({ scope: 'acme', tag: '^eu' }).do(DoNothing()),
      OnRemoveArtifactTag({ scope: 'acme', tag: 'x' }).do(DoNothing()),
      OnAddCollectionTag({ scope: { entity: 'a', registry: 'r', collection: 'c' } }).do(DoNothing()),
      OnRemoveCollectionTag({ scope: 'acme' }).do(DoNothing()),
      OnEvent({
        includedEventTypes: ['a.b'],
        subjectEndsWith: '.onnx',
        isSubjectCaseSensitive: true,
        enableAdvancedFilteringOnArrays: true,
        advancedFilters: [
          { operatorType: 'NumberInRange', key: 'data.x', values: [[1, 2]] },
          { operatorType: 'NumberLessThan', key: 'Data.Y', value: 3 },
          { operatorType: 'BoolEquals', key: 'data', value: false },
          { operatorType: 'IsNotNull', key: 'subject' },
          { operatorType: 'StringNotIn', key: 'eventType', values: ['a'] },
        ],
      }).do(SendWebhook({ integration: 'x', payload: { a: { b: [1, 'two', null, true] } } })),
    ];
    const { registry, clock } = core();
    // A saved automation less what saving adds (id, scope, times), which a draft does not take.
    const drafts = saveVariety(registry, clock).map(
      ({ id: _i, scope: _s, createdAt: _c, updatedAt: _u, ...d }) => d,
    );
    for (const example of [...built, ...drafts]) {
      expect(validate(plain(example)), JSON.stringify(validate.errors)).toBe(true);
      expect(parses(plain(example))).toBe(true);
    }
  });

  it('refuses a saved automation as it stands, as parseAutomation does: id, scope and times are not draft fields', () => {
    const { registry, clock } = core();
    for (const saved of saveVariety(registry, clock)) {
      expect(valid(plain(saved))).toBe(false);
      expect(parses(plain(saved))).toBe(false);
    }
  });

  // Each says what it is; both parseAutomation and the schema must refuse it.
  const bad: [string, unknown][] = [
    ['not an object', 'loss-alert'],
    ['no action', { event: metric(threshold).event }],
    ['an unknown trigger type', automation({ type: 'OnRunMetrics', scope: 'a', filter: threshold })],
    ['a trigger with no type', automation({ scope: 'a', filter: threshold })],
    ['an unknown action type', metric(threshold) && automation(metric(threshold).event, { type: 'Email' })],
    ['a webhook with no integration', automation(metric(threshold).event, { type: 'SendWebhook' })],
    ['a window of 0', metric({ ...threshold, window: 0, agg: 'mean' })],
    ['a window of 5 with no agg', metric({ ...threshold, window: 5 })],
    ['a window of 5 with agg null', metric({ ...threshold, window: 5, agg: null })],
    ['an unknown agg', metric({ ...threshold, window: 5, agg: 'median' })],
    ['a change amount of 0', metric({ type: 'MetricChangeFilter', name: 'l', direction: 'any', amount: 0 })],
    ['a z-score window of 1', metric({ type: 'MetricZScoreFilter', name: 'l', window: 1 })],
    ['a threshold given as text', metric({ ...threshold, threshold: '0.1' })],
    ['a scope of four parts', automation({ type: 'OnRunMetric', scope: 'a/b/c/d', filter: threshold })],
    ['an empty scope part', automation({ type: 'OnRunMetric', scope: 'a//c', filter: threshold })],
    [
      'a run trigger on a registry',
      automation({ type: 'OnRunMetric', scope: { entity: 'a', registry: 'r' }, filter: threshold }),
    ],
    ['a run trigger on a collection', automation({ type: 'OnRunState', scope: 'a/b/c', states: ['failed'] })],
    ['a killed state', automation({ type: 'OnRunState', scope: 'a', states: ['killed'] })],
    ['no states', automation({ type: 'OnRunState', scope: 'a', states: [] })],
    [
      'a scope with project and registry',
      automation({ type: 'OnLinkArtifact', scope: { entity: 'a', project: 'p', registry: 'r' } }),
    ],
    [
      'a collection scope with no project',
      automation({ type: 'OnLinkArtifact', scope: { entity: 'a', collection: 'c' } }),
    ],
    [
      'a scope type that does not fit',
      automation({ type: 'OnLinkArtifact', scope: { type: 'entity', entity: 'a', project: 'p' } }),
    ],
    ['a collection with a slash', automation({ type: 'OnLinkArtifact', scope: 'a', collection: 'x/y' })],
    ['a tag on an alias trigger', automation({ type: 'OnAddArtifactAlias', scope: 'a', tag: 'x' })],
    ['an alias on a tag trigger', automation({ type: 'OnAddArtifactTag', scope: 'a', alias: 'x' })],
    ['no event types', automation({ type: 'OnEvent', includedEventTypes: [] })],
    ['a number operator given values', advanced({ operatorType: 'NumberLessThan', values: [1] })],
    ['a number operator with no value', advanced({ operatorType: 'NumberGreaterThan' })],
    ['a string operator given a value', advanced({ operatorType: 'StringIn', value: 1 })],
    ['a string operator with no values', advanced({ operatorType: 'StringContains', values: [] })],
    ['a null operator given values', advanced({ operatorType: 'IsNotNull', values: ['x'] })],
    ['a range that is not a pair', advanced({ operatorType: 'NumberInRange', values: [[1, 2, 3]] })],
    ['a bool operator given text', advanced({ operatorType: 'BoolEquals', value: 'true' })],
    ['an unknown operator', advanced({ operatorType: 'NumberBetween', value: 1 })],
    [
      'a key with an empty name',
      automation({ type: 'OnEvent', advancedFilters: [{ operatorType: 'IsNotNull', key: 'data..a' }] }),
    ],
    [
      'a key that names nothing',
      automation({ type: 'OnEvent', advancedFilters: [{ operatorType: 'IsNotNull', key: 'data_base64' }] }),
    ],
    [
      '26 advanced filters',
      automation({
        type: 'OnEvent',
        advancedFilters: Array(26).fill({ operatorType: 'IsNotNull', key: 'id' }),
      }),
    ],
    ['a negative cooldown', { ...metric(threshold), cooldownMs: -1 }],
    ['a fractional cooldown', { ...metric(threshold), cooldownMs: 1.5 }],
    ['an empty name', { ...metric(threshold), name: '' }],
    ['a name of 256 characters', { ...metric(threshold), name: 'x'.repeat(256) }],
    ['an unknown retry policy field', { ...metric(threshold), retryPolicy: { attempts: 3 } }],
    ['a rate limit of 0', { ...metric(threshold), rateLimit: { perSecond: 0 } }],
    // Unknown keys, at every level: nothing a user writes is silently dropped.
    ['an unknown automation field', { ...metric(threshold), cooldown: 0 }],
    ['an unknown trigger field', automation({ type: 'OnRunState', scope: 'a', states: ['failed'], x: 1 })],
    ['an unknown filter field', metric({ ...threshold, window_size: 5 })],
    ['an unknown scope field', automation({ type: 'OnLinkArtifact', scope: { entity: 'a', projekt: 'p' } })],
    [
      'a MongoDB-style run filter on an unknown field',
      automation({
        type: 'OnRunMetric',
        scope: 'a',
        filter: threshold,
        runFilter: { runName: 'x', tags: 'a' },
      }),
    ],
    ['an unknown OnEvent field', automation({ type: 'OnEvent', subjectBeginWith: 'x' })],
    ['an unknown advanced filter field', advanced({ operatorType: 'IsNotNull', negate: true })],
    ['an unknown action field', automation(metric(threshold).event, { type: 'DoNothing', noOp: true })],
    ['an unknown rate limit field', { ...metric(threshold), rateLimit: { perSecond: 1, per: 's' } }],
    ['an empty StringBeginsWith value', advanced({ operatorType: 'StringBeginsWith', values: [''] })],
    ['an empty StringContains value', advanced({ operatorType: 'StringContains', values: ['a', ''] })],
    ['an unknown direction in any case', metric({ ...zscore, direction: 'UP' })],
    ['a pending state in capitals', automation({ type: 'OnRunState', scope: 'a', states: ['PENDING'] })],
    ['a null threshold (required)', metric({ ...threshold, threshold: null })],
    [
      'a scope with project null and collection',
      automation({ type: 'OnLinkArtifact', scope: { entity: 'a', project: null, collection: 'c' } }),
    ],
  ];

  // Each is accepted by both: W&B's spellings in any case, null for an optional field, duplicate states.
  const good: [string, unknown][] = [
    [
      'AVERAGE, ABSOLUTE, DECREASE',
      metric({
        type: 'MetricChangeFilter',
        name: 'l',
        agg: 'AVERAGE',
        changeType: 'ABSOLUTE',
        direction: 'DECREASE',
        amount: 1,
      }),
    ],
    ['agg Max', metric({ ...threshold, window: 3, agg: 'Max' })],
    ['a z-score direction ANY', metric({ ...zscore, direction: 'ANY' })],
    [
      'states in capitals, repeated',
      automation({ type: 'OnRunState', scope: 'a', states: ['CRASHED', 'failed', 'Running', 'failed'] }),
    ],
    [
      'severity and level in any case',
      automation(metric(threshold).event, {
        type: 'SendNotification',
        integration: 'x',
        severity: 'warn',
        level: 'Error',
      }),
    ],
    [
      'null optional fields',
      {
        ...metric({ ...threshold, window: null, agg: null }, { runFilter: null }),
        name: null,
        description: null,
        enabled: null,
        cooldownMs: null,
        retryPolicy: null,
        rateLimit: null,
      },
    ],
    [
      'null inside a run filter, a scope and an artifact trigger',
      automation({
        type: 'OnAddArtifactTag',
        scope: { entity: 'a', project: 'p', registry: null, collection: null, type: null },
        collection: null,
        alias: null,
        tag: null,
      }),
    ],
    [
      'null scope and filters on OnEvent',
      automation({ type: 'OnEvent', scope: null, includedEventTypes: null, advancedFilters: null }),
    ],
    [
      'null payload',
      automation(metric(threshold).event, { type: 'SendWebhook', integration: 'x', payload: null }),
    ],
    ['an empty StringNotBeginsWith value', advanced({ operatorType: 'StringNotBeginsWith', values: [''] })],
  ];

  it.each(good)('accepts %s, as parseAutomation does', (_what, json) => {
    expect(parses(json)).toBe(true);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(bad)('refuses %s, as parseAutomation does', (_what, json) => {
    expect(parses(json)).toBe(false);
    expect(valid(json)).toBe(false);
  });

  it('says which field is wrong, as an editor would show it', () => {
    validate(metric({ ...threshold, window: 0, agg: 'mean' }));
    expect(validate.errors?.map((e) => e.instancePath)).toContain('/event/filter/window');
  });

  it('agrees with parseAutomation on each operator given each operand', () => {
    const operands = [
      {},
      { value: 1 },
      { value: true },
      { values: [1] },
      { values: [[1, 2]] },
      { values: ['a'] },
    ];
    for (const operatorType of ADVANCED_OPERATORS) {
      for (const operand of operands) {
        const json = advanced({ operatorType, ...operand });
        expect(valid(json), `${operatorType} ${JSON.stringify(operand)}`).toBe(parses(json));
      }
    }
  });

  it('what only parseAutomation can check: RE2 syntax, range order, the 25-value budget', () => {
    const gaps = [
      automation({ type: 'OnAddArtifactTag', scope: 'a', tag: '(' }),
      advanced({ operatorType: 'NumberInRange', values: [[2, 1]] }),
      advanced({ operatorType: 'StringIn', values: Array.from({ length: 26 }, (_, i) => `v${i}`) }),
    ];
    for (const json of gaps) {
      expect(valid(json)).toBe(true);
      expect(parses(json)).toBe(false);
    }
  });

  it('agrees with parseAutomation on scopes (property)', () => {
    const part = fc.constantFrom('', 'a', 'acme', 'x/y', 'p'.repeat(255), 'p'.repeat(256));
    const text = fc.array(part, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'));
    const object = fc.record(
      {
        type: fc.constantFrom('entity', 'project', 'registry', 'collection', 'team'),
        entity: part,
        project: part,
        registry: part,
        collection: part,
      },
      { requiredKeys: [] },
    );
    const trigger = fc.constantFrom('OnRunMetric', 'OnRunState', 'OnLinkArtifact', 'OnEvent');
    fc.assert(
      fc.property(trigger, fc.oneof(text, object), (type, scope) => {
        const event =
          type === 'OnRunMetric'
            ? { type, scope, filter: threshold }
            : type === 'OnRunState'
              ? { type, scope, states: ['failed'] }
              : { type, scope };
        const json = automation(event);
        expect(valid(json)).toBe(parses(json));
      }),
      { numRuns },
    );
  });

  it('accepts every metric filter parseAutomation accepts, and agrees on most (property)', () => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const num = fc.oneof(fc.constantFrom(0, 1, 2, 10_000, 10_001, -1, 0.5), fc.double({ noNaN: true }));
    const filter = fc.record(
      {
        type: fc.constantFrom(
          'MetricThresholdFilter',
          'MetricChangeFilter',
          'MetricZScoreFilter',
          'MetricNonFiniteFilter',
        ),
        name: fc.constantFrom('loss', '', 'a/b'),
        window: maybe(fc.oneof(num, fc.constant(null))),
        currentWindow: maybe(num),
        priorWindow: maybe(num),
        agg: maybe(fc.constantFrom('mean', 'avg', 'AVERAGE', 'Max', 'median', 'MEDIAN', null)),
        cmp: maybe(fc.constantFrom('>', '$lte', '=>')),
        threshold: maybe(num),
        amount: maybe(num),
        direction: maybe(fc.constantFrom('increase', 'INCREASE', 'Any', 'any', 'up', null)),
        changeType: maybe(fc.constantFrom('relative', 'ABSOLUTE', 'absolute', 'ratio', null)),
        window_size: maybe(fc.constantFrom(5)),
      },
      { requiredKeys: ['type', 'name'] },
    );
    fc.assert(
      fc.property(filter, (f) => {
        const json = plain(metric(f));
        expect(valid(json)).toBe(parses(json));
      }),
      { numRuns },
    );
  });
});
