import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { of } from 'rxjs';
import * as api from '../../src/index.js';
import * as testing from '../../src/testing/index.js';
import { callback } from '../arbitraries/hostile.js';

// What the public-API fuzz calls methods on, and the valid-looking arguments it mixes with hostile ones.

const T0 = Date.parse('2026-01-01T00:00:00Z');
const SECRET = `whsec_${Buffer.from('k'.repeat(32)).toString('base64')}`;
const MLFLOW_SECRET = 'mlflow-secret';

export type Subject = {
  readonly engine: api.Engine;
  readonly authorized: api.AuthorizedAutomations;
  readonly expression: api.MetricExpression;
  readonly clock: testing.VirtualClock;
  readonly recording: testing.RecordingSink;
  readonly store: api.FileStateStore;
  /** Objects the public factories return, whose methods are public too. */
  readonly made: Readonly<Record<string, object>>;
  readonly savedId: string;
  readonly firing: api.Firing;
  cleanup(): void;
  close(): Promise<void>;
};

const draft = () => ({
  event: {
    type: 'OnRunMetric',
    scope: 'acme/vision',
    filter: { type: 'MetricThresholdFilter', name: 'loss', cmp: '>', threshold: 0.5 },
    runFilter: { runName: '^sweep' },
  },
  action: { type: 'SendWebhook', integration: 'hook', payload: { run: '${run_id}', list: [1, 'a'] } },
});
const row = (id = 'e1', time = T0) => ({
  specversion: '1.0',
  id,
  source: '/acme/vision',
  type: 'run.metrics',
  time,
  data: {
    entity: 'acme',
    project: 'vision',
    runId: 'r1',
    runName: 'sweep-1',
    step: 1,
    metrics: { loss: 0.9 },
  },
});

function webhookHeaders(body: string): Record<string, string> {
  const id = 'msg_1';
  const ts = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(SECRET.slice(6), 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${mac}` };
}
function mlflowHeaders(body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  const mac = createHmac('sha256', MLFLOW_SECRET).update(`d1.${ts}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'x-mlflow-delivery-id': 'd1',
    'x-mlflow-timestamp': String(ts),
    'x-mlflow-signature': `v1,${mac}`,
  };
}
const MLFLOW_BODY = JSON.stringify({
  entity: 'model_version',
  action: 'created',
  timestamp: '2025-07-31T08:27:32.080217+00:00',
  data: { name: 'm', version: '1', source: 'models:/1', run_id: 'r', tags: {}, description: 'd' },
});
const EVENT_GRID = {
  id: 'eg1',
  topic: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws',
  subject: 'models/m:1',
  eventType: 'Microsoft.MachineLearningServices.ModelRegistered',
  eventTime: '2025-12-31T00:00:00Z',
  data: { modelName: 'm', modelVersion: '1', modelTags: {}, modelProperties: {} },
  dataVersion: '2',
};

/** Valid-looking arguments of every kind the public API takes, by name; each call builds a fresh one. */
export const PLAUSIBLE: Readonly<Record<string, (s: Subject) => unknown>> = {
  savedId: (s) => s.savedId,
  unknownId: () => 'aut_404',
  draft: () => draft(),
  everyEvent: () => ({
    event: { type: 'OnEvent', includedEventTypes: ['All'] },
    action: { type: 'DoNothing' },
  }),
  saveOptions: () => ({ name: 'n2', cooldownMs: 0, enabled: true }),
  patch: () => ({ enabled: false, name: 'renamed' }),
  listFilter: () => ({ scope: 'acme/vision', enabled: true }),
  historyFilter: () => ({ status: 'pending' }),
  row: () => row(),
  rows: () => [row('b1'), row('b2', T0 + 1)],
  stateEvent: () => ({
    id: 'x',
    source: '/s',
    type: 'run.state',
    data: { entity: 'acme', project: 'vision', runId: 'r1', state: 'failed' },
  }),
  export: (s) => s.engine.exportAutomations(),
  merge: () => ({ mode: 'merge' }),
  replace: () => ({ mode: 'replace', check: () => undefined }),
  admin: () => 'admin',
  ceMessage: () => ({
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify(row('ce')),
  }),
  ceBinary: () => ({
    headers: new Map([
      ['ce-id', '1'],
      ['ce-source', '/s'],
      ['ce-type', 't'],
      ['ce-specversion', '1.0'],
    ]),
    body: '{}',
  }),
  eventGrid: () => structuredClone(EVENT_GRID),
  mlflowBody: () => MLFLOW_BODY,
  mlflowHeaders: () => mlflowHeaders(MLFLOW_BODY),
  mlflowSecret: () => MLFLOW_SECRET,
  secret: () => SECRET,
  webhookHeaders: () => webhookHeaders('{"a":1}'),
  webhookBody: () => '{"a":1}',
  firing: (s) => structuredClone(s.firing),
  notification: () => ({
    type: 'SendNotification',
    integration: 'hook',
    title: 't',
    message: '${run_name}',
    severity: 'INFO',
  }),
  payload: () => ({ text: '${run_id} ${KEY}', list: ['${run_name}', 1, null] }),
  variables: () => ({ run_id: 'r1' }),
  secrets: () => ({ KEY: 'value' }),
  url: () => 'https://example.com/hook',
  urlPolicy: () => ({ allowHosts: ['example.com'] }),
  metric: () => 'loss',
  scope: () => 'acme/vision',
  fired: () => 'fired',
  azureType: () => 'Microsoft.MachineLearningServices.ModelRegistered',
  azureData: () => ({ modelName: 'm', modelVersion: '1' }),
  threshold: () => ({ name: 'loss', cmp: '>', threshold: 1, window: 2, agg: 'mean' }),
  onRunMetric: () => ({ scope: 'acme', filter: { type: 'MetricNonFiniteFilter', name: 'loss' } }),
  slack: () => ({ webhookUrl: 'https://hooks.slack.com/services/T0/B0/x' }),
  webhook: () => ({ url: 'https://example.com/hook', secret: SECRET }),
  engineOptions: () => ({ clock: new testing.VirtualClock(T0), limits: { maxDepth: 8 } }),
  snapshot: (s) => s.engine.snapshot(),
  // Frozen, so no hostile value is put inside it: an Observable's internals are the caller's code, which connect runs.
  observable: () => Object.freeze(of(row('o1'))),
  callback: () => callback,
  patternEngine: () => ({ name: 'p', compile: callback }),
  clock: () => ({ now: callback }),
  states: () => ['finished', 'failed'],
  amount: () => ({ frac: 0.1 }),
  drafts: () => [draft()],
  automateOptions: () => ({ onIssue: () => undefined }),
  abort: () => ({ abort: true }),
  runMetricsInput: () => ({ entity: 'acme', project: 'vision', runId: 'r', metrics: { loss: 1 } }),
  tagInput: () => ({ entity: 'acme', project: 'vision', collection: 'c', version: 1, tag: 'eu' }),
  msgId: () => 'msg_1',
  seconds: () => 1_767_225_600,
  delay: () => 1000,
  time: () => T0,
  zero: () => 0,
  one: () => 1,
  undefined: () => undefined,
  null: () => null,
};

/** Arguments that fit a callable, by name: the fuzz makes one of them hostile, so the checks past the first run. */
export const HINTS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  'engine.save': [
    ['draft', 'saveOptions'],
    ['everyEvent', 'saveOptions'],
  ],
  'engine.update': [['savedId', 'patch']],
  'engine.enable': [['savedId']],
  'engine.disable': [['savedId']],
  'engine.delete': [['savedId']],
  'engine.get': [['savedId']],
  'engine.list': [['listFilter']],
  'engine.importAutomations': [
    ['export', 'merge'],
    ['export', 'replace'],
  ],
  'engine.ingest': [['row'], ['stateEvent']],
  'engine.ingestBatch': [['rows']],
  'engine.apply': [['row'], ['stateEvent']],
  'engine.applyBatch': [['rows']],
  'engine.connect': [['observable']],
  'engine.on': [['fired', 'callback']],
  'engine.once': [['fired', 'callback']],
  'engine.off': [['fired', 'callback']],
  'engine.history': [['historyFilter']],
  'engine.close': [['abort']],
  'engine.as': [['admin']],
  'engine.as(p).save': [['draft', 'saveOptions']],
  'engine.as(p).update': [['savedId', 'patch']],
  'engine.as(p).enable': [['savedId']],
  'engine.as(p).delete': [['savedId']],
  'engine.as(p).importAutomations': [['export', 'merge']],
  'index.createEngine': [['engineOptions']],
  'index.Engine': [['engineOptions']],
  'index.openEngine': [['engineOptions']],
  'index.partitionKey': [['row'], ['stateEvent']],
  'index.parseAutomation': [['draft']],
  'index.automate': [['drafts', 'automateOptions']],
  'index.fromCloudEvent': [['ceMessage'], ['ceBinary'], ['row']],
  'index.fromCloudEventBatch': [['rows']],
  'index.fromEventGrid': [['eventGrid']],
  'index.fromMlflowWebhook': [['mlflowBody', 'mlflowHeaders', 'mlflowSecret']],
  'index.verifyWebhook': [['secret', 'webhookHeaders', 'webhookBody']],
  'index.signWebhook': [['secret', 'msgId', 'seconds', 'webhookBody']],
  'index.renderPayload': [['payload', 'variables', 'secrets']],
  'index.renderSlackMessage': [['firing', 'notification']],
  'index.templateVariables': [['firing']],
  'index.checkUrl': [['url', 'urlPolicy']],
  'index.SlackIntegration': [['slack']],
  'index.WebhookIntegration': [['webhook']],
  'index.OnRunMetric': [['onRunMetric']],
  'index.MetricThresholdFilter': [['threshold']],
  'index.SendNotification': [['notification']],
  'index.parseAzureMlData': [['azureType', 'azureData']],
  'index.events.runMetrics': [['runMetricsInput']],
  'index.events.tagAdded': [['tagInput']],
  'FileStateStore.save': [['snapshot']],
  'VirtualClock.setTimer': [['callback', 'delay']],
  'MetricExpression.increasesBy': [['amount']],
  'RunEvent.state.in': [['states']],
  'trigger.do': [['notification']],
};

export function subject(): Subject {
  const dir = mkdtempSync(join(tmpdir(), 'mla-fuzz-'));
  const clock = new testing.VirtualClock(T0);
  const recording = new testing.RecordingSink();
  const engine = api.createEngine({
    clock,
    integrations: { hook: recording, other: new testing.RecordingSink() },
    authorize: (principal) => principal === 'admin',
  });
  const saved = engine.save(draft() as unknown as api.NewAutomation, { name: 'saved', cooldownMs: 0 });
  const firing = engine.ingest(row('first')).find((f) => f.automationId === saved.id) as api.Firing;
  const made: Record<string, object> = {
    CallbackSink: api.CallbackSink(() => undefined),
    SlackIntegration: api.SlackIntegration({ webhookUrl: 'https://hooks.slack.com/services/T0/B0/x' }),
    WebhookIntegration: api.WebhookIntegration({ url: 'https://example.com/hook', secret: SECRET }),
    trigger: api.OnRunMetric({ scope: 'acme', filter: api.RunEvent.metric('loss').gt(1) }),
    'RunEvent.state': api.RunEvent.state,
  };
  return {
    engine,
    authorized: engine.as('admin'),
    expression: api.RunEvent.metric('loss'),
    clock,
    recording,
    store: new api.FileStateStore(join(dir, 'state.json')),
    made,
    savedId: saved.id,
    firing,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    async close() {
      try {
        if (!engine.closed) await engine.close({ abort: true });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
