import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActionDefinition } from '../../../src/schema/actions.js';
import { buildRequest } from '../../../src/sinks/http/build-request.js';
import { SlackIntegration, WebhookIntegration } from '../../../src/sinks/http/integrations.js';
import { verifyWebhook } from '../../../src/sinks/http/signing.js';
import { artifactFiring, metricFiring, SECRET, stateFiring, T0, threshold } from './firings.js';

const NOW = T0 + 90_000; // the attempt: 90 s after the event
const slack = SlackIntegration({ webhookUrl: 'http://127.0.0.1:9000/slack' });
const hook = WebhookIntegration({
  url: 'http://127.0.0.1:9000/hook',
  secret: SECRET,
  accessToken: 'tok_abc',
  headers: { 'X-Team': 'vision', 'X-Api-Key': '${API_KEY}' },
  secrets: { API_KEY: 'k-123' },
});
const webhook = (payload?: Record<string, string>): ActionDefinition => ({
  type: 'SendWebhook',
  integration: 'deployer',
  ...(payload !== undefined && { payload }),
});

afterEach(() => {
  vi.useRealTimers();
});

describe('buildRequest: Slack', () => {
  it('a SendNotification posts the Block Kit message as JSON', () => {
    const request = buildRequest(metricFiring(), slack, NOW);
    expect(request).toMatchObject({
      url: 'http://127.0.0.1:9000/slack',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    const body = JSON.parse(request.body);
    expect(body.text).toBe('ℹ️ High accuracy: sweep-7: 0.97');
    expect(body.blocks[0].type).toBe('header');
    expect(Object.keys(request.headers)).toEqual(['content-type']);
  });

  it('a SendWebhook posts its own payload as the Slack body, values mrkdwn-escaped', () => {
    const firing = metricFiring(
      { runName: '<!here>' },
      threshold,
      webhook({ text: '${run_name} *${metric_value}*' }),
    );
    expect(JSON.parse(buildRequest(firing, slack, NOW).body)).toEqual({ text: '&lt;!here&gt; *0.97*' });
  });

  it('a SendWebhook without a payload posts a notification titled with the automation name', () => {
    const body = JSON.parse(buildRequest(metricFiring({}, threshold, webhook()), slack, NOW).body);
    expect(body.text).toBe('ℹ️ accuracy-alert');
    expect(body.blocks[0].text.text).toBe('ℹ️ accuracy-alert');
  });

  it('a DoNothing action has no request', () => {
    expect(() => buildRequest(metricFiring({}, threshold, { type: 'DoNothing' }), slack, NOW)).toThrow(
      TypeError,
    );
  });
});

describe('buildRequest: webhook', () => {
  it('posts the rendered payload with extra headers, bearer token and Standard Webhooks signature', () => {
    const firing = metricFiring(
      {},
      threshold,
      webhook({ run: '${run_name}', key: '${API_KEY}', f: '${metric_filter}' }),
    );
    const request = buildRequest(firing, hook, NOW);
    expect(request.url).toBe('http://127.0.0.1:9000/hook');
    expect(JSON.parse(request.body)).toEqual({ run: 'sweep-7', key: 'k-123', f: 'mean(5) accuracy > 0.6' });
    expect(request.headers).toEqual({
      'x-team': 'vision',
      'x-api-key': 'k-123',
      'content-type': 'application/json',
      authorization: 'Bearer tok_abc',
      'webhook-id': firing.id,
      'webhook-timestamp': String(Math.floor(NOW / 1000)),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
    });
    verifyWebhook(SECRET, request.headers, request.body, { nowSec: NOW / 1000 });
  });

  it('the request verifies with the standardwebhooks package', () => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW + 5_000);
    const request = buildRequest(stateFiring(webhook()), hook, NOW);
    expect(new Webhook(SECRET).verify(request.body, { ...request.headers })).toMatchObject({
      firing_id: request.headers['webhook-id'],
    });
  });

  it('each attempt is signed afresh; the webhook-id stays the firing id', () => {
    const firing = stateFiring(webhook());
    const first = buildRequest(firing, hook, NOW);
    const retry = buildRequest(firing, hook, NOW + 30_000);
    expect(retry.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(retry.headers['webhook-timestamp']).toBe(String(Math.floor((NOW + 30_000) / 1000)));
    expect(retry.headers['webhook-signature']).not.toBe(first.headers['webhook-signature']);
    expect(retry.body).toBe(first.body);
  });

  it('without secret or token: no webhook-* and no authorization headers', () => {
    const plain = WebhookIntegration({ url: 'http://127.0.0.1:9000/hook' });
    expect(buildRequest(stateFiring(webhook()), plain, NOW).headers).toEqual({
      'content-type': 'application/json',
    });
  });

  it('the default payload: what fired, on which event, and why', () => {
    const firing = metricFiring({}, threshold, webhook());
    expect(JSON.parse(buildRequest(firing, hook, NOW).body)).toEqual({
      automation: 'accuracy-alert',
      automation_id: 'auto-1',
      event_type: 'run.metrics',
      event_id: 'evt-1',
      firing_id: firing.id,
      time: T0,
      run_id: 'r1',
      evidence: { ...threshold },
    });
    const state = JSON.parse(buildRequest(stateFiring(webhook()), hook, NOW).body);
    expect(state.transition).toEqual({ from: 'running', to: 'failed' });
    const artifact = JSON.parse(buildRequest(artifactFiring({}, webhook()), hook, NOW).body);
    expect(artifact.artifact).toEqual({
      entity: 'acme',
      registry: 'model',
      collection: 'resnet',
      version: 3,
      alias: 'best',
    });
  });

  it('the default payload writes NaN and ±Infinity as text, and is never templated', () => {
    const evidence = {
      metric: 'loss',
      value: Number.NaN,
      values: [Number.NaN],
      aggregate: Number.NEGATIVE_INFINITY,
    };
    const firing = metricFiring({ runId: '${API_KEY}' }, evidence, webhook());
    const body = JSON.parse(buildRequest({ ...firing, runId: '${API_KEY}' }, hook, NOW).body);
    expect(body.evidence).toEqual({ metric: 'loss', value: 'NaN', values: ['NaN'], aggregate: '-Infinity' });
    expect(body.run_id).toBe('${API_KEY}');
  });

  it('a SendNotification to a webhook posts the Slack-shaped message, signed', () => {
    const request = buildRequest(metricFiring(), hook, NOW);
    expect(JSON.parse(request.body).blocks[0].type).toBe('header');
    expect(request.body).not.toContain('k-123');
    verifyWebhook(SECRET, request.headers, request.body, { nowSec: NOW / 1000 });
  });
});
