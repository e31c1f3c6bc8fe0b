import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/index.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';
import { accuracyAbove, INTAKE_TOKEN, startTestService, type TestService } from '../../helpers/service.js';

/** 32 key bytes: a Standard Webhooks secret, given to the service only through the environment. */
const HOOK_SECRET = `whsec_${Buffer.alloc(32, 0x5a).toString('base64')}`;
const MLFLOW_SECRET = 'mlflow-signing-secret-e2e-41f7';

let service: TestService | undefined;
let receiver: TestServer | undefined;
afterEach(async () => {
  await service?.stopAll();
  await receiver?.close();
  service = undefined;
  receiver = undefined;
});

const json = (body: unknown) => ({ 'content-type': 'application/json', body: JSON.stringify(body) });

const TOPIC =
  '/subscriptions/a5fe3bc5/resourceGroups/ml/providers/Microsoft.MachineLearningServices/workspaces/ws';
const modelRegistered = {
  topic: TOPIC,
  subject: 'models/resnet:3',
  eventType: 'Microsoft.MachineLearningServices.ModelRegistered',
  eventTime: '2026-01-05T18:41:00.9584103Z',
  id: 'mr-1',
  data: { ModelName: 'resnet', ModelVersion: 3, ModelTags: { stage: 'candidate' } },
  dataVersion: '2',
  metadataVersion: '1',
};

function mlflowDelivery(nowSeconds: number) {
  const body = JSON.stringify({
    entity: 'model_version',
    action: 'created',
    timestamp: '2026-01-05T18:42:00.000000+00:00',
    data: {
      name: 'resnet',
      version: '4',
      source: 'models:/9',
      run_id: 'abcd1234',
      tags: {},
      description: '',
    },
  });
  const id = 'delivery-e2e-1';
  const mac = createHmac('sha256', MLFLOW_SECRET).update(`${id}.${nowSeconds}.${body}`).digest('base64');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-mlflow-delivery-id': id,
      'x-mlflow-timestamp': String(nowSeconds),
      'x-mlflow-signature': `v1,${mac}`,
    },
  };
}

const metrics = (step: number, accuracy: number) => ({
  specversion: '1.0',
  id: `m-${step}`,
  source: '/wandb/acme/vision',
  type: 'run.metrics',
  time: `2026-01-05T19:00:0${step}Z`,
  data: { entity: 'acme', project: 'vision', runId: 'r1', runName: 'sweep-7', step, metrics: { accuracy } },
});

const hook = (payload: Record<string, string>) => ({ type: 'SendWebhook', integration: 'hook', payload });

describe('the service end to end, over real HTTP', () => {
  it('an Azure ML Event Grid event (after the handshake), a signed MLflow webhook and a W&B metric stream come out as signed webhooks', async () => {
    receiver = await startServer();
    service = await startTestService(
      {
        integrations: {
          hook: {
            type: 'WebhookIntegration',
            url: `${receiver.origin}/hook`,
            secret: { env: 'HOOK_SECRET' },
          },
        },
        mlflow: { secret: { env: 'MLFLOW_SECRET' }, entity: 'acme' },
      },
      { HOOK_SECRET, MLFLOW_SECRET },
    );
    const create = (body: unknown) =>
      service?.call('/automations', {
        method: 'POST',
        ...json(body),
        headers: { 'content-type': 'application/json' },
      });
    const automations = [
      {
        name: 'model-registered',
        event: { type: 'OnEvent', includedEventTypes: ['Microsoft.MachineLearningServices.ModelRegistered'] },
        action: hook({ kind: 'azure', type: '${event_type}' }),
      },
      {
        name: 'mlflow-version',
        event: { type: 'OnEvent', includedEventTypes: ['artifact.created'] },
        action: hook({ kind: 'mlflow' }),
      },
      {
        name: 'accuracy-high',
        event: accuracyAbove(0.9),
        action: hook({ kind: 'metric', run: '${run_name}', value: '${metric_value}' }),
        cooldownMs: 0,
      },
    ];
    for (const a of automations) expect((await create(a))?.status).toBe(201);

    // Event Grid: the subscription handshake first, answered with the code, then the event.
    const handshake = await service.call('/eventgrid', {
      method: 'POST',
      token: INTAKE_TOKEN,
      ...json([
        {
          id: 'v1',
          topic: TOPIC,
          subject: '',
          eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
          eventTime: '2026-01-05T18:40:00Z',
          data: { validationCode: 'code-512d38b6', validationUrl: 'https://rp.example/validate' },
          dataVersion: '1',
        },
      ]),
      headers: { 'content-type': 'application/json' },
    });
    expect(handshake.status).toBe(200);
    expect(await handshake.json()).toEqual({ validationResponse: 'code-512d38b6' });
    const grid = await service.call('/eventgrid', {
      method: 'POST',
      token: INTAKE_TOKEN,
      ...json([modelRegistered]),
      headers: { 'content-type': 'application/json' },
    });
    expect(grid.status).toBe(202);

    // MLflow: signed with the shared secret; no bearer token (MLflow cannot send one).
    const delivery = mlflowDelivery(Math.floor(Date.now() / 1000));
    const mlflow = await service.call('/mlflow', {
      method: 'POST',
      token: null,
      body: delivery.body,
      headers: delivery.headers,
    });
    expect(mlflow.status).toBe(202);
    const forged = await service.call('/mlflow', {
      method: 'POST',
      token: null,
      body: delivery.body.replace('resnet', 'evil'),
      headers: delivery.headers,
    });
    expect(forged.status).toBe(401);

    // W&B-style metric stream as one CloudEvents batch.
    const stream = [0.5, 0.95, 0.97, 0.3, 0.99].map((a, i) => metrics(i + 1, a));
    const batch = await service.call('/events', {
      method: 'POST',
      token: INTAKE_TOKEN,
      body: JSON.stringify(stream),
      headers: { 'content-type': 'application/cloudevents-batch+json' },
    });
    expect(batch.status).toBe(202);

    await receiver.waitForRequests(5, 20_000);
    const wh = new Webhook(HOOK_SECRET);
    const bodies = receiver.requests.map((r) => {
      const h = (n: string) => String(r.headers[n] ?? '');
      return wh.verify(r.body, {
        'webhook-id': h('webhook-id'),
        'webhook-timestamp': h('webhook-timestamp'),
        'webhook-signature': h('webhook-signature'),
      }) as Record<string, string>;
    });
    expect(bodies.map((b) => b['kind']).sort()).toEqual(['azure', 'metric', 'metric', 'metric', 'mlflow']);
    expect(
      bodies
        .filter((b) => b['kind'] === 'metric')
        .map((b) => b['value'])
        .sort(),
    ).toEqual(['0.95', '0.97', '0.99']);
    // Each firing once: the webhook-id is the firing id.
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(5);
    await (service.engine as Engine).idle();
    const history = (await (await service.call('/history')).json()) as { items: { status: string }[] };
    expect(history.items.map((r) => r.status)).toEqual([
      'finished',
      'finished',
      'finished',
      'finished',
      'finished',
    ]);
  }, 30_000);
});
