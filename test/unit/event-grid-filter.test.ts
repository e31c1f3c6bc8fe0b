import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../src/definitions/parse.js';
import { fromZodIssues } from '../../src/errors/from-zod.js';
import type { IssueCode, IssuePath } from '../../src/errors/issue.js';
import { compileEventGridFilter } from '../../src/match/event-grid-filter.js';
import type { CloudEvent } from '../../src/schema/cloud-event.js';
import {
  ADVANCED_OPERATORS,
  type AdvancedFilterInput,
  type EventGridFilterInput,
  eventGridFilterSchema,
} from '../../src/schema/event-grid-filter.js';

function event(fields: Partial<CloudEvent> = {}): CloudEvent {
  return { id: 'e1', source: '/workspaces/ws', type: 'test.event', ...fields };
}

function predicate(input: EventGridFilterInput): (e: CloudEvent) => boolean {
  return compileEventGridFilter(eventGridFilterSchema.parse(input));
}

/** One advanced filter against `data`. */
function advanced(
  filter: AdvancedFilterInput,
  data: unknown,
  enableAdvancedFilteringOnArrays = false,
): boolean {
  return predicate({ advancedFilters: [filter], enableAdvancedFilteringOnArrays })(event({ data }));
}

function refusals(input: unknown): [IssueCode, IssuePath][] {
  const result = eventGridFilterSchema.safeParse(input, { reportInput: true });
  if (result.success) throw new Error(`expected a refusal, got ${JSON.stringify(result.data)}`);
  return fromZodIssues(result.error.issues).map((i) => [i.code, i.path]);
}

/** An Azure ML event in Event Grid schema, as Azure delivers it. */
const modelRegistered = {
  topic:
    '/subscriptions/a5fe3bc5-98f0-4c84-affc-a589f54d9b23/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws',
  subject: 'models/sklearn_regression_model:3',
  eventType: 'Microsoft.MachineLearningServices.ModelRegistered',
  eventTime: '2017-06-26T18:41:00.9584103Z',
  id: '831e1650-001e-001b-66ab-eeb76e069631',
  data: {
    ModelName: 'sklearn_regression_model',
    ModelVersion: '3',
    ModelTags: { key1: 'value1' },
    ModelProperties: { key2: 'value2' },
  },
  dataVersion: '2',
  metadataVersion: '1',
};

/** The mapping SEMANTICS §1 states for the Event Grid adapter. */
const azureEvent: CloudEvent = {
  id: modelRegistered.id,
  source: modelRegistered.topic,
  type: modelRegistered.eventType,
  subject: modelRegistered.subject,
  time: modelRegistered.eventTime,
  dataschema: `#${modelRegistered.dataVersion}`,
  specversion: '1.0',
  data: modelRegistered.data,
};

describe('the seeds: Azure ML ModelRegistered through Event Grid', () => {
  it('--advanced-filter data.ModelTags.key1 StringIn (value1)', () => {
    const tagged = predicate({
      advancedFilters: [{ operatorType: 'StringIn', key: 'data.ModelTags.key1', values: ['value1'] }],
    });
    expect(tagged(azureEvent)).toBe(true);
    expect(tagged({ ...azureEvent, data: { ...modelRegistered.data, ModelTags: { key1: 'value2' } } })).toBe(
      false,
    );
    expect(tagged({ ...azureEvent, data: { ...modelRegistered.data, ModelTags: {} } })).toBe(false);
  });

  it('--included-event-types ModelRegistered --subject-begins-with models/mymodelname', () => {
    const mine = predicate({
      includedEventTypes: ['Microsoft.MachineLearningServices.ModelRegistered'],
      subjectBeginsWith: 'models/mymodelname',
    });
    expect(mine(azureEvent)).toBe(false);
    expect(mine({ ...azureEvent, subject: 'models/mymodelname:7' })).toBe(true);
    expect(mine({ ...azureEvent, subject: 'models/MyModelName:7' })).toBe(true);
    expect(
      mine({
        ...azureEvent,
        subject: 'models/mymodelname:7',
        type: 'Microsoft.MachineLearningServices.ModelDeployed',
      }),
    ).toBe(false);
  });
});

describe('event types', () => {
  const types = predicate({
    includedEventTypes: ['Microsoft.MachineLearningServices.ModelRegistered', 'run.state'],
  });

  it('match exactly, ignoring case, never by prefix', () => {
    expect(types(event({ type: 'microsoft.machinelearningservices.MODELREGISTERED' }))).toBe(true);
    expect(types(event({ type: 'run.state' }))).toBe(true);
    expect(types(event({ type: 'Microsoft.MachineLearningServices.Model' }))).toBe(false);
    expect(types(event({ type: 'run.state.x' }))).toBe(false);
  });

  it('absent, null, or a list holding All means every type', () => {
    for (const includedEventTypes of [undefined, null, ['All'], ['x', 'ALL'], ['all']]) {
      const input = includedEventTypes === undefined ? {} : { includedEventTypes };
      expect(predicate(input)(event({ type: 'anything.at.all' }))).toBe(true);
      expect(eventGridFilterSchema.parse(input)).not.toHaveProperty('includedEventTypes');
    }
  });
});

describe('subject filters', () => {
  it('are plain text, not patterns', () => {
    const p = predicate({ subjectBeginsWith: 'models/.*', subjectEndsWith: '$' });
    expect(p(event({ subject: 'models/x' }))).toBe(false);
    expect(p(event({ subject: 'models/.*:3$' }))).toBe(true);
  });

  it('ignore case unless isSubjectCaseSensitive', () => {
    const insensitive = predicate({ subjectBeginsWith: 'Models/', subjectEndsWith: ':3' });
    const sensitive = predicate({ subjectBeginsWith: 'Models/', isSubjectCaseSensitive: true });
    expect(insensitive(event({ subject: 'MODELS/x:3' }))).toBe(true);
    expect(insensitive(event({ subject: 'models/x:4' }))).toBe(false);
    expect(sensitive(event({ subject: 'Models/x' }))).toBe(true);
    expect(sensitive(event({ subject: 'models/x' }))).toBe(false);
  });

  it('fold with toUpperCase: ß is SS, İ is not I', () => {
    expect(predicate({ subjectBeginsWith: 'STRASSE/' })(event({ subject: 'straße/1' }))).toBe(true);
    expect(predicate({ subjectEndsWith: 'ß' })(event({ subject: 'gross' }))).toBe(true);
    expect(
      predicate({ subjectEndsWith: 'ß', isSubjectCaseSensitive: true })(event({ subject: 'gross' })),
    ).toBe(false);
    expect(predicate({ subjectBeginsWith: 'i' })(event({ subject: 'İzmir' }))).toBe(false);
    expect(predicate({ subjectBeginsWith: 'zoë' })(event({ subject: 'ZOË/run' }))).toBe(true);
    expect(predicate({ subjectBeginsWith: 'zoe' })(event({ subject: 'Zoë/run' }))).toBe(false);
  });

  it('empty means no constraint; an event with no subject fails a non-empty one', () => {
    expect(predicate({ subjectBeginsWith: '', subjectEndsWith: '' })(event())).toBe(true);
    expect(eventGridFilterSchema.parse({ subjectBeginsWith: '', subjectEndsWith: null })).toEqual({
      isSubjectCaseSensitive: false,
      enableAdvancedFilteringOnArrays: false,
    });
    expect(predicate({ subjectBeginsWith: 'models/' })(event())).toBe(false);
    expect(predicate({ subjectEndsWith: ':3' })(event())).toBe(false);
  });
});

describe('advanced filters', () => {
  it('all must pass; values inside one positive filter are ORed', () => {
    const p = predicate({
      advancedFilters: [
        { operatorType: 'StringIn', key: 'data.stage', values: ['staging', 'production'] },
        { operatorType: 'NumberGreaterThan', key: 'data.version', value: 2 },
      ],
    });
    expect(p(event({ data: { stage: 'production', version: 3 } }))).toBe(true);
    expect(p(event({ data: { stage: 'staging', version: 3 } }))).toBe(true);
    expect(p(event({ data: { stage: 'staging', version: 2 } }))).toBe(false);
    expect(p(event({ data: { stage: 'dev', version: 3 } }))).toBe(false);
  });

  it('Not operators must avoid every value', () => {
    const notIn = { operatorType: 'StringNotIn', key: 'data.s', values: ['a', 'b'] } as const;
    expect(advanced(notIn, { s: 'c' })).toBe(true);
    expect(advanced(notIn, { s: 'b' })).toBe(false);
    const notContains = { operatorType: 'StringNotContains', key: 'data.s', values: ['x', 'y'] } as const;
    expect(advanced(notContains, { s: 'abc' })).toBe(true);
    expect(advanced(notContains, { s: 'aYb' })).toBe(false);
  });

  it('number ranges are inclusive pairs, ORed; NotInRange is in no pair', () => {
    const ranges: [number, number][] = [
      [0, 1],
      [10, 20],
    ];
    const inRange = (n: number) =>
      advanced({ operatorType: 'NumberInRange', key: 'data.n', values: ranges }, { n });
    const notInRange = (n: number) =>
      advanced({ operatorType: 'NumberNotInRange', key: 'data.n', values: ranges }, { n });
    expect([0, 1, 10, 15, 20].map(inRange)).toEqual([true, true, true, true, true]);
    expect([-0.001, 1.5, 9.99, 20.01].map(inRange)).toEqual([false, false, false, false]);
    expect([0, 20, 5].map(notInRange)).toEqual([false, false, true]);
    expect(advanced({ operatorType: 'NumberInRange', key: 'data.n', values: [[3, 3]] }, { n: 3 })).toBe(true);
  });

  it('number comparisons', () => {
    const cmp = (operatorType: AdvancedFilterInput['operatorType'], n: number) =>
      advanced({ operatorType, key: 'data.n', value: 5 }, { n });
    expect([4, 5, 6].map((n) => cmp('NumberLessThan', n))).toEqual([true, false, false]);
    expect([4, 5, 6].map((n) => cmp('NumberLessThanOrEquals', n))).toEqual([true, true, false]);
    expect([4, 5, 6].map((n) => cmp('NumberGreaterThan', n))).toEqual([false, false, true]);
    expect([4, 5, 6].map((n) => cmp('NumberGreaterThanOrEquals', n))).toEqual([false, true, true]);
    expect(advanced({ operatorType: 'NumberIn', key: 'data.n', values: [0] }, { n: -0 })).toBe(true);
  });

  it('BoolEquals sees only booleans', () => {
    const isTrue = { operatorType: 'BoolEquals', key: 'data.b', value: true } as const;
    expect(advanced(isTrue, { b: true })).toBe(true);
    expect(advanced(isTrue, { b: false })).toBe(false);
    expect(advanced(isTrue, { b: 'true' })).toBe(false);
    expect(advanced(isTrue, { b: 1 })).toBe(false);
  });
});

describe('key resolution', () => {
  it('envelope keys ignore case; topic is source, eventtype is type', () => {
    const e = azureEvent;
    const has = (key: string, values: string[]) =>
      predicate({ advancedFilters: [{ operatorType: 'StringIn', key, values }] })(e);
    expect(has('topic', [e.source])).toBe(true);
    expect(has('Source', [e.source])).toBe(true);
    expect(has('EventType', [e.type])).toBe(true);
    expect(has('TYPE', [e.type])).toBe(true);
    expect(has('Subject', ['MODELS/SKLEARN_REGRESSION_MODEL:3'])).toBe(true);
    expect(has('id', [e.id])).toBe(true);
    expect(has('specversion', ['1.0'])).toBe(true);
    expect(has('dataschema', ['#2'])).toBe(true);
    expect(has('data.modeltags.KEY1', ['VALUE1'])).toBe(true);
  });

  it('an exact-case name wins at each level; otherwise the first name that folds equal, in key order', () => {
    const data = { Tags: { Key: 'upper', key: 'lower' }, tags: { key: 'other' } };
    const at = (key: string) =>
      predicate({ advancedFilters: [{ operatorType: 'StringIn', key, values: ['upper'] }] })(event({ data }));
    expect(at('data.Tags.Key')).toBe(true);
    expect(at('data.Tags.key')).toBe(false);
    expect(at('data.TAGS.KEY')).toBe(true);
    expect(at('data.tags.Key')).toBe(false);
  });

  it('walks objects only: arrays are not indexed, a null or scalar on the way means missing', () => {
    const missing = (key: string, data: unknown) =>
      predicate({ advancedFilters: [{ operatorType: 'IsNullOrUndefined', key }] })(event({ data }));
    expect(missing('data.a.0', { a: ['x'] })).toBe(true);
    expect(missing('data.a.b', { a: [{ b: 1 }] })).toBe(true);
    expect(missing('data.a.b', { a: null })).toBe(true);
    expect(missing('data.a.b', { a: 'text' })).toBe(true);
    expect(missing('data.a.0', { a: { 0: 'x' } })).toBe(false);
    expect(missing('data', undefined)).toBe(true);
    expect(advanced({ operatorType: 'StringIn', key: 'data', values: ['whole'] }, 'WHOLE')).toBe(true);
  });

  it('never reads inherited properties', () => {
    const missing = (key: string, data: unknown) =>
      advanced({ operatorType: 'IsNullOrUndefined', key }, data) &&
      !advanced({ operatorType: 'IsNotNull', key }, data) &&
      !advanced({ operatorType: 'StringContains', key, values: ['function', 'object'] }, data);
    for (const key of [
      'data.constructor',
      'data.__proto__',
      'data.toString',
      'data.hasOwnProperty',
      'data.__proto__.constructor',
      'data.constructor.name',
    ]) {
      expect(missing(key, {})).toBe(true);
      expect(missing(key, JSON.parse('{"a": 1}'))).toBe(true);
    }
    expect(missing('data.x', Object.create({ x: 'inherited' }))).toBe(true);
    expect(
      advanced(
        { operatorType: 'StringIn', key: 'data.x', values: ['own'] },
        Object.assign(Object.create(null), { x: 'own' }),
      ),
    ).toBe(true);
    // An own `__proto__` (JSON.parse makes one) is data like any other.
    const own = JSON.parse('{"__proto__": {"x": "own"}}');
    expect(advanced({ operatorType: 'StringIn', key: 'data.__proto__.x', values: ['own'] }, own)).toBe(true);
    expect(advanced({ operatorType: 'StringIn', key: 'data.__PROTO__.x', values: ['own'] }, own)).toBe(true);
  });
});

describe('values and types', () => {
  it('string operators see numbers and booleans as their JSON text; numeric strings are never numbers', () => {
    const s = (values: string[], v: unknown) =>
      advanced({ operatorType: 'StringIn', key: 'data.v', values }, { v });
    expect(s(['5'], 5)).toBe(true);
    expect(s(['0.1'], 0.1)).toBe(true);
    expect(s(['1e+21'], 1e21)).toBe(true);
    expect(s(['TRUE'], true)).toBe(true);
    expect(s(['false'], false)).toBe(true);
    expect(s(['5.0'], 5)).toBe(false);
    expect(advanced({ operatorType: 'NumberIn', key: 'data.v', values: [5] }, { v: '5' })).toBe(false);
    expect(advanced({ operatorType: 'NumberNotIn', key: 'data.v', values: [5] }, { v: '5' })).toBe(true);
  });

  it('fold case with toUpperCase on both sides: ß, İ, Zoë', () => {
    const s = (operatorType: AdvancedFilterInput['operatorType'], values: string[], v: string) =>
      advanced({ operatorType, key: 'data.v', values }, { v });
    expect(s('StringIn', ['STRASSE'], 'straße')).toBe(true);
    expect(s('StringIn', ['straße'], 'STRASSE')).toBe(true);
    expect(s('StringContains', ['ss'], 'Maß')).toBe(true);
    expect(s('StringIn', ['İstanbul'], 'İSTANBUL')).toBe(true);
    expect(s('StringIn', ['istanbul'], 'İstanbul')).toBe(false);
    expect(s('StringIn', ['zoë'], 'ZOË')).toBe(true);
    expect(s('StringIn', ['zoe'], 'Zoë')).toBe(false);
    expect(s('StringBeginsWith', ['ZO'], 'zoë')).toBe(true);
    expect(s('StringEndsWith', ['Ë'], 'zoë')).toBe(true);
    expect(s('StringNotEndsWith', ['Ë'], 'zoë')).toBe(false);
  });

  it('missing key: only NumberNotIn, NumberNotInRange, StringNotIn and IsNullOrUndefined match', () => {
    const matching = ADVANCED_OPERATORS.filter((operatorType) =>
      advanced(sample(operatorType, 'data.absent'), { other: 1 }),
    );
    expect(matching).toEqual(['NumberNotIn', 'NumberNotInRange', 'StringNotIn', 'IsNullOrUndefined']);
  });

  it('present null: IsNullOrUndefined and the Not operators match', () => {
    const matching = ADVANCED_OPERATORS.filter((operatorType) =>
      advanced(sample(operatorType, 'data.v'), { v: null }),
    );
    expect(matching).toEqual([
      'NumberNotIn',
      'NumberNotInRange',
      'StringNotIn',
      'StringNotContains',
      'StringNotBeginsWith',
      'StringNotEndsWith',
      'IsNullOrUndefined',
    ]);
  });

  it('arrays, with array filtering: any element hits; elements of another type, nulls and nested arrays are skipped', () => {
    const on = (f: AdvancedFilterInput, v: unknown[]) => advanced(f, { v }, true);
    const numberIn = { operatorType: 'NumberIn', key: 'data.v', values: [5] } as const;
    const numberNotIn = { operatorType: 'NumberNotIn', key: 'data.v', values: [5] } as const;
    expect(on(numberIn, [null, 'x', { n: 5 }, 5])).toBe(true);
    expect(on(numberIn, [[5], '5'])).toBe(false);
    expect(on(numberNotIn, [[5], '5', null])).toBe(true);
    expect(on(numberNotIn, [1, 2, 5])).toBe(false);
    expect(on(numberIn, [])).toBe(false);
    expect(on(numberNotIn, [])).toBe(true);
    expect(
      on({ operatorType: 'StringContains', key: 'data.v', values: ['urgent'] }, ['customer', 'URGENT-1']),
    ).toBe(true);
    expect(
      on({ operatorType: 'StringNotContains', key: 'data.v', values: ['urgent'] }, ['customer', 'URGENT-1']),
    ).toBe(false);
    expect(on({ operatorType: 'BoolEquals', key: 'data.v', value: false }, ['false', 0, false])).toBe(true);
    expect(on({ operatorType: 'IsNotNull', key: 'data.v' }, [null])).toBe(true);
  });

  it('arrays, without array filtering: only IsNotNull matches', () => {
    const matching = ADVANCED_OPERATORS.filter((operatorType) =>
      advanced(sample(operatorType, 'data.v'), { v: [] }),
    );
    expect(matching).toEqual(['IsNotNull']);
  });
});

describe('compiling', () => {
  it('works on a frozen filter and never changes it', () => {
    const filter = deepFreeze(
      eventGridFilterSchema.parse({
        advancedFilters: [{ operatorType: 'StringIn', key: 'data.v', values: ['Mixed'] }],
      }),
    );
    const copy = structuredClone(filter);
    expect(compileEventGridFilter(filter)(event({ data: { v: 'MIXED' } }))).toBe(true);
    expect(filter).toEqual(copy);
  });

  it('with no constraints, matches every event', () => {
    expect(predicate({})(event())).toBe(true);
  });
});

describe('the schema', () => {
  it('normalises to plain JSON: defaults applied, empty fields left out, nulls absent', () => {
    const parsed = eventGridFilterSchema.parse({
      includedEventTypes: ['a.b'],
      subjectBeginsWith: 'models/',
      subjectEndsWith: null,
      isSubjectCaseSensitive: null,
      advancedFilters: [
        { operatorType: 'IsNotNull', key: 'Data.X', values: null, value: null },
        { operatorType: 'NumberInRange', key: 'data.n', values: [[1, 2]], value: null },
      ],
    });
    expect(parsed).toEqual({
      includedEventTypes: ['a.b'],
      subjectBeginsWith: 'models/',
      isSubjectCaseSensitive: false,
      enableAdvancedFilteringOnArrays: false,
      advancedFilters: [
        { operatorType: 'IsNotNull', key: 'Data.X' },
        { operatorType: 'NumberInRange', key: 'data.n', values: [[1, 2]] },
      ],
    });
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(parsed);
    expect(Object.keys(parsed.advancedFilters?.[0] ?? {})).toEqual(['operatorType', 'key']);
    expect(eventGridFilterSchema.parse({ advancedFilters: [] })).not.toHaveProperty('advancedFilters');
  });

  it('refuses an unknown field (a subscription’s destination is not part of its filter): nothing is dropped', () => {
    const parsed = eventGridFilterSchema.safeParse({ destination: { endpointType: 'WebHook' } });
    expect(parsed.error?.issues).toMatchObject([
      { code: 'unrecognized_keys', keys: ['destination'], path: [] },
    ]);
  });

  it('takes each operator with its own operand', () => {
    for (const operatorType of ADVANCED_OPERATORS) {
      expect(
        eventGridFilterSchema.parse({ advancedFilters: [sample(operatorType, 'data.v')] }).advancedFilters,
      ).toEqual([sample(operatorType, 'data.v')]);
    }
  });

  it('accepts keys in every documented form', () => {
    const keys = [
      'id',
      'source',
      'topic',
      'type',
      'eventtype',
      'EventType',
      'subject',
      'specversion',
      'dataschema',
      'data',
      'Data.ModelTags.key1',
      'data.a b.c',
      'eventid',
      'comexampleothervalue',
      'DataVersion',
      'MetadataVersion',
    ];
    for (const key of keys)
      expect(() =>
        eventGridFilterSchema.parse({ advancedFilters: [{ operatorType: 'IsNotNull', key }] }),
      ).not.toThrow();
  });

  it('refuses bad keys, naming the filter', () => {
    // A bare name of letters and digits names an attribute (an extension, say); anything else names nothing.
    for (const key of [
      'foo-bar',
      'data.',
      'data..a',
      '.data',
      'subject.x',
      'data_base64',
      'ModelTags.key1',
    ]) {
      expect(
        refusals({
          advancedFilters: [
            { operatorType: 'IsNotNull', key: 'id' },
            { operatorType: 'IsNotNull', key },
          ],
        }),
      ).toEqual([['invalid_value', ['advancedFilters', 1, 'key']]]);
    }
    expect(refusals({ advancedFilters: [{ operatorType: 'IsNotNull', key: '' }] })).toEqual([
      ['invalid_value', ['advancedFilters', 0, 'key']],
    ]);
  });

  it('refuses more than 25 filters', () => {
    const filters = Array.from({ length: 26 }, () => ({ operatorType: 'IsNotNull', key: 'id' }));
    expect(refusals({ advancedFilters: filters })).toEqual([['too_big', ['advancedFilters']]]);
    expect(() => eventGridFilterSchema.parse({ advancedFilters: filters.slice(1) })).not.toThrow();
  });

  it('refuses more than 25 values in all, at the first value over', () => {
    const strings = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
    expect(
      refusals({ advancedFilters: [{ operatorType: 'StringIn', key: 'subject', values: strings(26) }] }),
    ).toEqual([['too_big', ['advancedFilters', 0, 'values', 25]]]);
    const spread = [
      { operatorType: 'StringIn', key: 'subject', values: strings(20) },
      { operatorType: 'IsNotNull', key: 'id' },
      { operatorType: 'NumberLessThan', key: 'data.n', value: 3 },
      { operatorType: 'NumberNotIn', key: 'data.n', values: [1, 2, 3, 4, 5] },
    ];
    expect(refusals({ advancedFilters: spread })).toEqual([['too_big', ['advancedFilters', 3, 'values', 4]]]);
    const lastIsValue = [
      { operatorType: 'StringIn', key: 'subject', values: strings(25) },
      { operatorType: 'BoolEquals', key: 'data.b', value: true },
    ];
    expect(refusals({ advancedFilters: lastIsValue })).toEqual([
      ['too_big', ['advancedFilters', 1, 'value']],
    ]);
    // A range pair counts as one value; IsNotNull counts none.
    const pairs = Array.from({ length: 25 }, (_, i): [number, number] => [i, i + 1]);
    expect(() =>
      eventGridFilterSchema.parse({
        advancedFilters: [
          { operatorType: 'NumberInRange', key: 'data.n', values: pairs },
          { operatorType: 'IsNotNull', key: 'id' },
        ],
      }),
    ).not.toThrow();
  });

  it('refuses a string of more than 512 characters', () => {
    expect(
      refusals({
        advancedFilters: [
          { operatorType: 'StringContains', key: 'subject', values: ['ok', 'x'.repeat(513)] },
        ],
      }),
    ).toEqual([['too_big', ['advancedFilters', 0, 'values', 1]]]);
    expect(
      refusals({ advancedFilters: [{ operatorType: 'IsNotNull', key: `data.${'k'.repeat(508)}` }] }),
    ).toEqual([['too_big', ['advancedFilters', 0, 'key']]]);
    expect(() =>
      eventGridFilterSchema.parse({
        advancedFilters: [{ operatorType: 'StringIn', key: 'subject', values: ['x'.repeat(512)] }],
      }),
    ).not.toThrow();
  });

  it('refuses wrong operand shapes, naming the filter index and the field', () => {
    const at3 = (bad: unknown) =>
      refusals({
        advancedFilters: [
          ...Array.from({ length: 3 }, () => ({ operatorType: 'IsNotNull', key: 'id' })),
          bad,
        ],
      });
    expect(at3({ operatorType: 'NumberIn', key: 'data.n', values: [1, '2'] })).toEqual([
      ['invalid_type', ['advancedFilters', 3, 'values', 1]],
    ]);
    expect(at3({ operatorType: 'NumberIn', key: 'data.n', value: 1 })).toEqual([
      ['unrecognized_keys', ['advancedFilters', 3, 'value']],
    ]);
    expect(at3({ operatorType: 'NumberIn', key: 'data.n', values: [] })).toEqual([
      ['too_small', ['advancedFilters', 3, 'values']],
    ]);
    expect(at3({ operatorType: 'NumberLessThan', key: 'data.n', values: [1] })).toEqual([
      ['unrecognized_keys', ['advancedFilters', 3, 'values']],
    ]);
    expect(at3({ operatorType: 'NumberLessThan', key: 'data.n' })).toEqual([
      ['invalid_type', ['advancedFilters', 3, 'value']],
    ]);
    expect(at3({ operatorType: 'NumberLessThan', key: 'data.n', value: '5' })).toEqual([
      ['invalid_type', ['advancedFilters', 3, 'value']],
    ]);
    expect(at3({ operatorType: 'NumberLessThan', key: 'data.n', value: Number.POSITIVE_INFINITY })).toEqual([
      ['invalid_type', ['advancedFilters', 3, 'value']],
    ]);
    expect(
      at3({
        operatorType: 'NumberInRange',
        key: 'data.n',
        values: [
          [1, 2],
          [5, 3],
        ],
      }),
    ).toEqual([['invalid_value', ['advancedFilters', 3, 'values', 1]]]);
    expect(at3({ operatorType: 'NumberNotInRange', key: 'data.n', values: [[1, 2, 3]] })).toEqual([
      ['too_big', ['advancedFilters', 3, 'values', 0]],
    ]);
    expect(at3({ operatorType: 'NumberNotInRange', key: 'data.n', values: [3] })).toEqual([
      ['invalid_type', ['advancedFilters', 3, 'values', 0]],
    ]);
    expect(at3({ operatorType: 'BoolEquals', key: 'data.b', value: 'true' })).toEqual([
      ['invalid_type', ['advancedFilters', 3, 'value']],
    ]);
    expect(at3({ operatorType: 'StringIn', key: 'data.s', values: 'abc' })).toEqual([
      ['invalid_type', ['advancedFilters', 3, 'values']],
    ]);
    expect(at3({ operatorType: 'StringIn', key: 'data.s', values: ['a', 1] })).toEqual([
      ['invalid_type', ['advancedFilters', 3, 'values', 1]],
    ]);
    expect(at3({ operatorType: 'IsNullOrUndefined', key: 'data.s', values: ['a'] })).toEqual([
      ['unrecognized_keys', ['advancedFilters', 3, 'values']],
    ]);
    expect(at3({ operatorType: 'StringLike', key: 'data.s', values: ['a'] })).toEqual([
      ['invalid_value', ['advancedFilters', 3, 'operatorType']],
    ]);
    expect(at3('StringIn')).toEqual([['invalid_type', ['advancedFilters', 3]]]);
  });

  it('says what the operator takes', () => {
    const messages = (bad: unknown) => {
      const result = eventGridFilterSchema.safeParse({ advancedFilters: [bad] });
      return result.success ? [] : result.error.issues.map((i) => i.message);
    };
    expect(messages({ operatorType: 'NumberLessThan', key: 'data.n', values: [1] })).toEqual([
      'NumberLessThan takes `value`: a number, not `values`',
    ]);
    expect(messages({ operatorType: 'NumberIn', key: 'data.n' })).toEqual([
      'NumberIn needs `values`: a list of numbers',
    ]);
    expect(messages({ operatorType: 'NumberInRange', key: 'data.n', values: [[5, 3]] })).toEqual([
      'range [5, 3] is reversed: low must be ≤ high',
    ]);
  });

  it('refuses an empty event type list and fields of the wrong type', () => {
    expect(refusals({ includedEventTypes: [] })).toEqual([['too_small', ['includedEventTypes']]]);
    expect(refusals({ includedEventTypes: ['a', ''] })).toEqual([['too_small', ['includedEventTypes', 1]]]);
    expect(refusals({ subjectBeginsWith: 5, isSubjectCaseSensitive: 'yes' })).toEqual([
      ['invalid_type', ['subjectBeginsWith']],
      ['invalid_type', ['isSubjectCaseSensitive']],
    ]);
  });
});

/** A valid filter for each operator, used where only the operator's behaviour on a value kind matters. */
function sample(operatorType: AdvancedFilterInput['operatorType'], key: string): AdvancedFilterInput {
  switch (operatorType) {
    case 'NumberIn':
    case 'NumberNotIn':
      return { operatorType, key, values: [5] };
    case 'NumberInRange':
    case 'NumberNotInRange':
      return { operatorType, key, values: [[4, 6]] };
    case 'BoolEquals':
      return { operatorType, key, value: true };
    case 'IsNullOrUndefined':
    case 'IsNotNull':
      return { operatorType, key };
    case 'NumberLessThan':
    case 'NumberGreaterThan':
    case 'NumberLessThanOrEquals':
    case 'NumberGreaterThanOrEquals':
      return { operatorType, key, value: 5 };
    default:
      return { operatorType, key, values: ['x'] };
  }
}
