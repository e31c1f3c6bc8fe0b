import { describe, expect, it } from 'vitest';
import { fromCloudEvent } from '../../../src/events/adapters/from-cloud-event.js';
import { fromEventGrid } from '../../../src/events/adapters/from-event-grid.js';
import { fromMlflowWebhook } from '../../../src/events/adapters/from-mlflow-webhook.js';
import { createEngine, type Issue } from '../../../src/index.js';
import type { CloudEvent } from '../../../src/schema/cloud-event.js';
import { VirtualClock } from '../../../src/testing/index.js';
import { mlflowBody, SECRET, SENT_S, signedHeaders, versionCreated } from './mlflow-fixtures.js';

const TOPIC = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws';

function engine() {
  // After every event below (2018 to 2026), none of which may be ahead of the clock (maxFutureMs).
  const e = createEngine({ clock: new VirtualClock(Date.parse('2030-01-01T00:00:00Z')) });
  const issues: Issue[] = [];
  e.errors$.subscribe((i) => issues.push(i));
  return { engine: e, issues };
}

function mlflow(entity: string, action: string, data: Record<string, unknown>, id: string): CloudEvent[] {
  const body = mlflowBody(entity, action, data);
  const headers = signedHeaders(body, SECRET, SENT_S, id);
  return fromMlflowWebhook(body, headers, SECRET, { clock: new VirtualClock(SENT_S * 1000) });
}

describe('adapter output is accepted by the engine', () => {
  it('Event Grid, CloudEvents and MLflow events ingest with no issues', () => {
    const produced: CloudEvent[] = [
      ...fromEventGrid([
        {
          topic: TOPIC,
          subject: 'models/sklearn_regression_model:20',
          eventType: 'Microsoft.MachineLearningServices.ModelRegistered',
          eventTime: '2017-06-26T18:41:00.9584103Z',
          id: '831e1650-001e-001b-66ab-eeb76e069631',
          data: { ModelName: 'sklearn_regression_model', ModelVersion: 20, ModelTags: { area: 'diabetes' } },
          dataVersion: '',
          metadataVersion: '1',
        },
        {
          topic: TOPIC,
          subject: 'experiments/e/runs/r',
          eventType: 'Microsoft.MachineLearningServices.RunCompleted',
          eventTime: '2017-06-26T18:41:01Z',
          id: 'run-completed-1',
          data: { experimentId: 'e', runId: 'r', runType: null, runTags: {}, runProperties: {} },
          dataVersion: '1',
        },
      ]),
      fromCloudEvent({
        headers: {
          'ce-id': 'b1',
          'ce-source': '/mycontext',
          'ce-type': 'com.example.someevent',
          'ce-specversion': '1.0',
          'ce-time': '2018-04-05T03:56:24Z',
          'ce-sequence': '7',
          'ce-subject': 'Euro%20%E2%82%AC',
          'content-type': 'application/json',
        },
        body: '{"a":1}',
      }),
      fromCloudEvent({ specversion: '1.0', id: 's1', source: '/x', type: 'x', data_base64: 'AAEC' }),
      ...mlflow('registered_model', 'created', { name: 'example_model', tags: { team: 'vision' } }, 'd1'),
      ...mlflow('model_version', 'created', versionCreated, 'd2'),
      ...mlflow(
        'model_version_tag',
        'set',
        { name: 'example_model', version: '1', key: 'stage', value: 'prod' },
        'd3',
      ),
      ...mlflow(
        'model_version_alias',
        'created',
        { name: 'example_model', alias: 'champion', version: '1' },
        'd4',
      ),
      ...mlflow('model_version_alias', 'deleted', { name: 'example_model', alias: 'champion' }, 'd5'),
      ...mlflow('model_version_tag', 'deleted', { name: 'example_model', version: '1', key: 'stage' }, 'd6'),
    ];
    const { engine: e, issues } = engine();
    for (const event of produced) e.ingest(event);
    expect(issues).toEqual([]);
    expect(e.stats()).toMatchObject({ accepted: produced.length, rejected: 0, duplicates: 0 });
  });

  it('an MLflow redelivery (same X-MLflow-Delivery-Id) is a duplicate to the engine', () => {
    const { engine: e, issues } = engine();
    const first = mlflow('model_version', 'created', versionCreated, 'same-delivery');
    const again = mlflow('model_version', 'created', versionCreated, 'same-delivery');
    e.ingestBatch([...first, ...again]);
    expect(issues).toEqual([]);
    expect(e.stats()).toMatchObject({ accepted: 1, duplicates: 1 });
  });
});
