import { describe, expect, it } from 'vitest';
import {
  DoNothing,
  fromEventGrid,
  fromMlflowWebhook,
  isDefinitionError,
  OnAddArtifactAlias,
  OnAddArtifactTag,
  OnCreateArtifact,
  OnEvent,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { fixture } from '../helpers/fixture.js';

/** The fixture with its clock after the events below (2026-01-05), which may not be ahead of it (maxFutureMs). */
function azure() {
  const f = fixture();
  f.clock.set(Date.parse('2026-01-06T00:00:00Z'));
  return f;
}

import { mlflowBody, SENT_S, signedHeaders, versionCreated } from '../unit/adapters/mlflow-fixtures.js';

const TOPIC =
  '/subscriptions/a5fe3bc5/resourceGroups/ml/providers/Microsoft.MachineLearningServices/workspaces/ws';
const modelRegistered = (name: string, tags: Record<string, string>, id = 'mr-1') => ({
  topic: TOPIC,
  subject: `models/${name}:3`,
  eventType: 'Microsoft.MachineLearningServices.ModelRegistered',
  eventTime: '2026-01-05T18:41:00.9584103Z',
  id,
  data: { ModelName: name, ModelVersion: 3, ModelTags: tags, ModelProperties: { framework: 'sklearn' } },
  dataVersion: '2',
  metadataVersion: '1',
});

describe('Azure ML events through Event Grid subscriptions', () => {
  it("the seeds' filter: data.ModelTags.key1 StringIn ('value1') on a realistic ModelRegistered event", () => {
    const { engine, issues } = azure();
    engine.save(
      OnEvent({
        includedEventTypes: ['Microsoft.MachineLearningServices.ModelRegistered'],
        advancedFilters: [{ operatorType: 'StringIn', key: 'data.ModelTags.key1', values: ['value1'] }],
      }).do(DoNothing()),
      { name: 'tagged-models' },
    );
    expect(
      engine.ingest(fromEventGrid(modelRegistered('sklearn_regression_model', { key1: 'VALUE1' }))),
    ).toHaveLength(1);
    expect(engine.ingest(fromEventGrid(modelRegistered('other', { key1: 'value2' }, 'mr-2')))).toHaveLength(
      0,
    );
    expect(engine.ingest(fromEventGrid(modelRegistered('untagged', {}, 'mr-3')))).toHaveLength(0);
    expect(issues).toEqual([]);
  });

  it("the seeds' subjectBeginsWith 'models/mymodelname' (case-insensitive unless asked)", () => {
    const { engine } = azure();
    engine.save(OnEvent({ subjectBeginsWith: 'models/mymodelname' }).do(DoNothing()), { name: 'mine' });
    engine.save(
      OnEvent({ subjectBeginsWith: 'models/mymodelname', isSubjectCaseSensitive: true }).do(DoNothing()),
      { name: 'exact' },
    );
    const names = (e: unknown) => engine.ingest(e).map((f) => f.automationName);
    expect(names(fromEventGrid(modelRegistered('mymodelname', {}, 'a')))).toEqual(['mine', 'exact']);
    expect(names(fromEventGrid(modelRegistered('MyModelName', {}, 'b')))).toEqual(['mine']);
    expect(names(fromEventGrid(modelRegistered('yourmodel', {}, 'c')))).toEqual([]);
  });

  it('event types are matched case-insensitively; All or none means every type; canonical events are seen too', () => {
    const { engine } = azure();
    engine.save(
      OnEvent({ includedEventTypes: ['microsoft.machinelearningservices.modelregistered'] }).do(DoNothing()),
      { name: 'typed' },
    );
    engine.save(OnEvent({ includedEventTypes: ['All'] }).do(DoNothing()), { name: 'all' });
    engine.save(OnEvent({ scope: 'acme' }).do(DoNothing()), { name: 'acme-only' });
    const names = (e: unknown) => engine.ingest(e).map((f) => f.automationName);
    expect(names(fromEventGrid(modelRegistered('m', {}, 'x')))).toEqual(['typed', 'all']);
    expect(
      names({
        id: 'r',
        source: '/acme/v',
        type: 'run.state',
        data: { entity: 'acme', project: 'v', runId: 'r1', state: 'running' },
      }),
    ).toEqual(['all', 'acme-only']);
  });

  it('the subscription-validation handshake is reported, never ingested as data', () => {
    const validation = {
      topic: TOPIC,
      subject: '',
      eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
      eventTime: '2026-01-05T18:41:00Z',
      id: 'v-1',
      data: {
        validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
        validationUrl: 'https://example.invalid/validate',
      },
      dataVersion: '1',
      metadataVersion: '1',
    };
    const codes: string[] = [];
    expect(
      fromEventGrid([validation, modelRegistered('m', {})], {
        onValidation: (v) => codes.push(v.validationCode),
      }),
    ).toHaveLength(1);
    expect(codes).toEqual(['512d38b6-c7b8-40c8-89fe-f46f9e9622b6']);
    expect(() => fromEventGrid(validation)).toThrow(
      expect.objectContaining({ name: 'EventGridValidationError' }),
    );
  });

  it('refuses filters beyond the limits, naming the filter index and field', () => {
    const many = Array.from({ length: 26 }, (_, i) => ({
      operatorType: 'NumberIn' as const,
      key: `data.k${i}`,
      values: [i],
    }));
    try {
      OnEvent({ advancedFilters: many });
      expect.unreachable();
    } catch (error) {
      expect(isDefinitionError(error) && error.issues[0]?.path[0]).toBe('advancedFilters');
    }
    try {
      OnEvent({ advancedFilters: [{ operatorType: 'StringIn', key: 'subject', values: ['x'.repeat(513)] }] });
      expect.unreachable();
    } catch (error) {
      expect(isDefinitionError(error) && error.issues.map((i) => [i.code, i.path])).toEqual([
        ['too_big', ['advancedFilters', 0, 'values', 0]],
      ]);
    }
  });
});

describe('MLflow model registry webhooks into artifact triggers', () => {
  it('a signed model_version.created fires OnCreateArtifact and latest; a redelivery is a duplicate', () => {
    const clock = new VirtualClock(SENT_S * 1000);
    const { engine } = fixture();
    engine.save(
      OnCreateArtifact({ scope: { entity: 'mlflow', registry: 'model-registry' } }).do(DoNothing()),
      { name: 'created' },
    );
    engine.save(OnAddArtifactAlias({ scope: 'mlflow', alias: '^latest$' }).do(DoNothing()), {
      name: 'latest',
    });
    engine.save(OnAddArtifactTag({ scope: 'mlflow', tag: '^example_key=' }).do(DoNothing()), { name: 'tag' });
    const body = mlflowBody('model_version', 'created', versionCreated);
    const delivered = fromMlflowWebhook(body, signedHeaders(body), 'your-secret-key', { clock });
    const fired = engine.ingestBatch(delivered);
    expect(fired.map((f) => f.automationName)).toEqual(['created', 'latest', 'tag']);
    expect(fired[0]?.artifact).toMatchObject({ collection: 'example_model', version: 1 });
    expect(
      engine.ingestBatch(fromMlflowWebhook(body, signedHeaders(body), 'your-secret-key', { clock })),
    ).toEqual([]);
    expect(engine.stats().duplicates).toBe(delivered.length);
  });

  it('a tampered body is refused before it reaches the engine', () => {
    const clock = new VirtualClock(SENT_S * 1000);
    const body = mlflowBody('model_version', 'created', versionCreated);
    const headers = signedHeaders(body);
    expect(() =>
      fromMlflowWebhook(body.replace('example_model', 'evil_model'), headers, 'your-secret-key', { clock }),
    ).toThrow(expect.objectContaining({ name: 'WebhookSignatureError' }));
  });
});
