import { describe, expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  events,
  type Firing,
  fromCloudEvent,
  fromCloudEventBatch,
  fromEventGrid,
  type Issue,
  isDefinitionError,
  OnEvent,
  OnRunMetric,
  RunEvent,
} from '../../../src/index.js';
import { VirtualClock } from '../../../src/testing/index.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function engineWith(filters: Parameters<typeof OnEvent>[0] = {}) {
  const engine = createEngine({ clock: new VirtualClock(NOW) });
  const issues: Issue[] = [];
  engine.errors$.subscribe((i) => issues.push(i));
  engine.save(OnEvent(filters).do(DoNothing()), { name: 'on-event' });
  return { engine, issues };
}

function refusal(f: () => unknown): Issue[] {
  try {
    f();
  } catch (error) {
    if (isDefinitionError(error)) return [...error.issues];
    throw error;
  }
  throw new Error('expected a DefinitionError');
}

/** CloudEvents JSON format 1.0.2, §3.2: the example with JSON data, whose `subject` is `null`. */
const jsonDataExample = {
  specversion: '1.0',
  type: 'com.example.someevent',
  source: '/mycontext',
  subject: null,
  id: 'C234-1234-1234',
  time: '2018-04-05T17:31:00Z',
  comexampleextension1: 'value',
  comexampleothervalue: 5,
  datacontenttype: 'application/json',
  data: { appinfoA: 'abc', appinfoB: 123, appinfoC: true },
};

/** §3.2 again: the XML example, with an extension attribute that is `null` ("unsetextension"). */
const xmlExample = {
  specversion: '1.0',
  type: 'com.example.someevent',
  source: '/mycontext',
  id: 'B234-1234-1234',
  time: '2018-04-05T17:31:00Z',
  comexampleextension1: 'value',
  comexampleothervalue: 5,
  unsetextension: null,
  datacontenttype: 'application/xml',
  data: '<much wow="xml"/>',
};

describe('CloudEvents JSON format §2.2: an attribute whose value is null is unset', () => {
  it('ingest takes the spec example with "subject": null; the firing carries the event without it', () => {
    const { engine, issues } = engineWith();
    const [firing] = engine.ingest(jsonDataExample);
    expect(issues).toEqual([]);
    expect(firing?.event).not.toHaveProperty('subject');
    expect(firing?.event).toMatchObject({ id: 'C234-1234-1234', comexampleothervalue: 5 });
    const [xml] = engine.ingest(xmlExample);
    expect(xml?.event).not.toHaveProperty('unsetextension');
    expect(xml?.event).toMatchObject({ comexampleextension1: 'value', data: '<much wow="xml"/>' });
  });

  it('a null time is unset too: the engine clock stamps the event (table §2.3: "time": null)', () => {
    const { engine } = engineWith();
    const [firing] = engine.ingest({ ...jsonDataExample, id: 'x', time: null });
    expect(firing?.time).toBe(NOW);
    expect(firing?.event).not.toHaveProperty('time');
  });

  it('null data is not an attribute: it stays, an explicit null payload (§3.1.1)', () => {
    const { engine } = engineWith();
    const [firing] = engine.ingest({ ...jsonDataExample, id: 'y', data: null });
    expect(firing?.event).toHaveProperty('data', null);
  });

  it('fromCloudEvent (object, JSON text, structured HTTP message) and fromCloudEventBatch leave null attributes out', () => {
    const expected = { ...jsonDataExample } as Record<string, unknown>;
    delete expected['subject'];
    expect(fromCloudEvent(jsonDataExample)).toEqual(expected);
    expect(fromCloudEvent(JSON.stringify(jsonDataExample))).toEqual(expected);
    const message = {
      headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
      body: JSON.stringify(jsonDataExample),
    };
    expect(fromCloudEvent(message)).toEqual(expected);
    const batch = fromCloudEventBatch(JSON.stringify([jsonDataExample, xmlExample]));
    expect(batch[0]).toEqual(expected);
    expect(batch[1]).not.toHaveProperty('unsetextension');
  });

  it('a required attribute that is null is missing, and refused naming it', () => {
    const { engine, issues } = engineWith();
    expect(engine.ingest({ ...jsonDataExample, id: null })).toEqual([]);
    expect(issues.map((i) => i.path)).toEqual([['id']]);
    expect(refusal(() => fromCloudEvent({ ...jsonDataExample, source: null })).map((i) => i.path)).toEqual([
      ['source'],
    ]);
  });

  it('the run.metrics fast path takes null attributes as the full path does', () => {
    const { engine, issues } = engineWith();
    engine.save(OnRunMetric({ scope: 'acme', filter: RunEvent.metric('loss').gt(0) }).do(DoNothing()), {
      name: 'loss',
      cooldownMs: 0,
    });
    const row = {
      specversion: null,
      id: 'r1',
      source: '/acme/vision',
      type: 'run.metrics',
      subject: null,
      time: null,
      sequence: null,
      dataschema: null,
      datacontenttype: null,
      data: { entity: 'acme', project: 'vision', runId: 'r', metrics: { loss: 1 } },
    };
    const fired = engine.ingestBatch([row, { ...row, id: 'r2', subject: 'runs/r' }]);
    expect(issues).toEqual([]);
    expect(fired.filter((f) => f.automationName === 'loss').map((f) => f.event)).toEqual([
      { id: 'r1', source: '/acme/vision', type: 'run.metrics', data: row.data },
      { id: 'r2', source: '/acme/vision', type: 'run.metrics', subject: 'runs/r', data: row.data },
    ]);
  });
});

describe('CloudEvents 1.0: subject, when present, is a non-empty string', () => {
  it('ingest refuses an empty subject with an issue naming subject, on the full path and the fast path', () => {
    const { engine, issues } = engineWith();
    const metrics = {
      id: 'm',
      source: '/s',
      type: 'run.metrics',
      subject: '',
      data: { entity: 'acme', project: 'vision', runId: 'r', metrics: { loss: 1 } },
    };
    expect(engine.ingest({ ...jsonDataExample, subject: '' })).toEqual([]);
    expect(engine.ingestBatch([metrics])).toEqual([]);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['too_small', ['subject']],
      ['too_small', ['subject']],
    ]);
    expect(engine.stats()).toMatchObject({ accepted: 0, rejected: 2 });
  });

  it('fromCloudEvent refuses it as `subject`, binary mode as the `ce-subject` header; the helpers refuse it too', () => {
    expect(refusal(() => fromCloudEvent({ ...jsonDataExample, subject: '' })).map((i) => i.path)).toEqual([
      ['subject'],
    ]);
    const binary = {
      headers: { 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': '/s', 'ce-type': 't', 'ce-subject': '' },
    };
    expect(refusal(() => fromCloudEvent(binary)).map((i) => i.path)).toEqual([['ce-subject']]);
    const input = { entity: 'acme', project: 'vision', runId: 'r', metrics: {}, subject: '' };
    expect(refusal(() => events.runMetrics(input)).map((i) => i.path)).toEqual([['subject']]);
  });
});

describe('Azure Event Grid advanced filtering: extension attributes are keys', () => {
  // learn.microsoft.com/azure/event-grid/event-filtering, "CloudEvents": comexampleextension1 and
  // comexampleothervalue are extension context attributes, and this filter is the docs' example.
  const docsFilter = {
    advancedFilters: [
      { operatorType: 'StringBeginsWith' as const, key: 'comexampleothervalue', values: ['5', '1'] },
    ],
  };

  it("the docs' example: StringBeginsWith on comexampleothervalue matches the docs' event (5 read as '5')", () => {
    const { engine } = engineWith(docsFilter);
    expect(engine.ingest(jsonDataExample)).toHaveLength(1);
    expect(engine.ingest({ ...jsonDataExample, id: 'other', comexampleothervalue: 7 })).toHaveLength(0);
    // Absent, the key is missing: StringBeginsWith does not match.
    const { comexampleothervalue: _, ...without } = jsonDataExample;
    expect(engine.ingest({ ...without, id: 'none' })).toHaveLength(0);
  });

  it('the key ignores case like every key, and an exact-case name wins', () => {
    const keyed = (key: string, values: string[]) =>
      engineWith({ advancedFilters: [{ operatorType: 'StringIn', key, values }] }).engine;
    expect(keyed('ComExampleExtension1', ['VALUE']).ingest(jsonDataExample)).toHaveLength(1);
    const both = { ...jsonDataExample, Tenant: 'upper', tenant: 'lower' };
    expect(keyed('tenant', ['lower']).ingest(both)).toHaveLength(1);
    expect(keyed('Tenant', ['upper']).ingest(both)).toHaveLength(1);
    expect(keyed('TENANT', ['upper']).ingest(both)).toHaveLength(1); // no exact name: the first that folds equal
  });

  it('IsNullOrUndefined: an extension never sent and one sent as null are both missing', () => {
    const { engine } = engineWith({
      advancedFilters: [{ operatorType: 'IsNullOrUndefined', key: 'unsetextension' }],
    });
    expect(engine.ingest(xmlExample)).toHaveLength(1);
    expect(engine.ingest({ ...xmlExample, id: 'set', unsetextension: 'x' })).toHaveLength(0);
  });

  it('extension attributes survive normalisation: canonical and foreign events, ingest and ingestBatch', () => {
    const { engine } = engineWith({
      advancedFilters: [{ operatorType: 'NumberIn', key: 'comexampleothervalue', values: [5] }],
    });
    const place = { entity: 'acme', project: 'vision' };
    const sent = [
      { ...xmlExample, id: 'f' },
      { id: 'm', source: '/s', type: 'run.metrics', data: { ...place, runId: 'r', metrics: { loss: 1 } } },
      { id: 's', source: '/s', type: 'run.state', data: { ...place, runId: 'r', state: 'running' } },
      { id: 'a', source: '/s', type: 'artifact.created', data: { ...place, collection: 'c', version: 0 } },
    ].map((e) => ({ ...e, comexampleothervalue: 5, traceparent: '00-abc-def-01' }));
    const one = engine.ingest(sent[0]);
    const rest = engine.ingestBatch(sent.slice(1));
    const fired: Firing[] = [...one, ...rest];
    expect(fired.map((f) => f.event.id)).toEqual(['f', 'm', 's', 'a']);
    for (const f of fired)
      expect(f.event).toMatchObject({ comexampleothervalue: 5, traceparent: '00-abc-def-01' });
  });
});

describe('Event Grid schema: DataVersion and MetadataVersion are advanced filter keys', () => {
  // learn.microsoft.com/azure/event-grid/event-filtering, "Event Grid schema": the keys are ID, Topic, Subject,
  // EventType, DataVersion, or event data. event-schema.md: dataVersion and metadataVersion on every event.
  const azureMl = {
    topic: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws',
    subject: 'experiments/e/runs/r',
    eventType: 'Microsoft.MachineLearningServices.RunCompleted',
    eventTime: '2017-06-26T18:41:00.9584103Z',
    id: '831e1650-001e-001b-66ab-eeb76e069632',
    data: { experimentId: 'e', runId: 'r' },
    dataVersion: '2',
    metadataVersion: '1',
  };

  it('DataVersion (any case) reads Event Grid dataVersion; dataschema stays "#"+dataVersion', () => {
    const event = fromEventGrid(azureMl);
    expect(event).toMatchObject({ dataschema: '#2', dataversion: '2', metadataversion: '1' });
    const byKey = (key: string, values: string[]) =>
      engineWith({ advancedFilters: [{ operatorType: 'StringIn', key, values }] }).engine.ingest(event);
    expect(byKey('DataVersion', ['2'])).toHaveLength(1);
    expect(byKey('dataversion', ['1'])).toHaveLength(0);
    expect(byKey('MetadataVersion', ['1'])).toHaveLength(1);
    expect(byKey('dataschema', ['#2'])).toHaveLength(1);
  });

  it('the other Event Grid schema keys: ID, Topic, Subject, EventType', () => {
    const event = fromEventGrid(azureMl);
    const { engine } = engineWith({
      advancedFilters: [
        { operatorType: 'StringIn', key: 'ID', values: [azureMl.id] },
        { operatorType: 'StringBeginsWith', key: 'Topic', values: ['/subscriptions/s/'] },
        { operatorType: 'StringEndsWith', key: 'Subject', values: ['/runs/r'] },
        { operatorType: 'StringIn', key: 'EventType', values: [azureMl.eventType] },
      ],
    });
    expect(engine.ingest(event)).toHaveLength(1);
  });

  it('an event that did not come through Event Grid has no DataVersion: the key is missing', () => {
    const { engine } = engineWith({
      advancedFilters: [{ operatorType: 'IsNullOrUndefined', key: 'DataVersion' }],
    });
    expect(engine.ingest(jsonDataExample)).toHaveLength(1);
    expect(engine.ingest(fromEventGrid(azureMl))).toHaveLength(0);
  });
});
