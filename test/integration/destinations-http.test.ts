import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEngine,
  DispatchGitHubWorkflow,
  type Engine,
  GitHubIntegration,
  isDefinitionError,
  OnRunMetric,
  PagerDutyIntegration,
  RunEvent,
  SendNotification,
  SendPagerDuty,
  SendTeamsMessage,
  SendWebhook,
  TeamsIntegration,
  WebhookIntegration,
} from '../../src/index.js';
import { advance, destinationEngine, settle } from '../helpers/destination-engine.js';
import { respond, startServer, type TestServer } from '../helpers/http-server.js';
import { gitHubReceiver, pagerDutyReceiver, teamsReceiver } from '../helpers/service-receivers.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const ROUTING_KEY = 'R0ut1ngKey/pd+Z9q3xW7v2';
const GH_TOKEN = 'ghp_T0ken/gh+Q7w3e9r1t5y';
const TEAMS_PATH = '/workflows/5b9c/triggers/manual/paths/invoke?api-version=1&sig=TeamsSig/Zq8+v3Xk';

let server: TestServer;
let engines: Engine[] = [];

beforeEach(async () => {
  server = await startServer();
});

afterEach(async () => {
  for (const e of engines) await e.close({ abort: true });
  engines = [];
  await server.close();
});

const body = (i: number): Record<string, unknown> => JSON.parse(server.requests[i]?.body ?? 'null');

describe('PagerDuty Events API v2 (a receiver that checks the published trigger shape)', () => {
  const setup = (severity: 'critical' | 'INFO' = 'critical') => {
    const s = destinationEngine({
      integrations: {
        pd: PagerDutyIntegration({ routingKey: ROUTING_KEY, url: `${server.origin}/v2/enqueue` }),
      },
      action: SendPagerDuty({
        integration: 'pd',
        severity,
        summary: '${metric_name} = ${metric_value} on ${run_id}',
      }),
    });
    engines.push(s.engine);
    return s;
  };

  it('a trigger with dedup_key = the firing id, source, component = automation, custom_details = evidence; 202 delivered', async () => {
    server.otherwise(pagerDutyReceiver(ROUTING_KEY));
    const s = setup();
    const id = s.fire({ value: 0.5 });
    await settle(s.engine);
    expect(server.requests).toHaveLength(1);
    expect(body(0)).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: id,
      payload: {
        summary: 'm = 0.5 on r1',
        source: 'acme/vision/r1',
        severity: 'critical',
        component: 'a',
        class: 'run.metrics',
        timestamp: new Date(s.t0).toISOString(),
        custom_details: { firing_id: id, run_id: 'r1', evidence: { metric: 'm', value: 0.5, cmp: '>' } },
      },
    });
    expect(s.engine.history()[0]).toMatchObject({ status: 'finished' });
    expect(s.engine.history()[0]?.attempts[0]).toMatchObject({ outcome: 'Delivered', status: 202 });
  });

  it('severity in any case is stored as PagerDuty spells it', () => {
    expect(SendPagerDuty({ integration: 'pd', severity: 'INFO' }).severity).toBe('info');
  });

  it('429 is retried with a backoff of at least two minutes; the retry opens no second alert (same dedup_key)', async () => {
    server.script(respond(429));
    server.otherwise(pagerDutyReceiver(ROUTING_KEY));
    const s = setup();
    const id = s.fire();
    await settle(s.engine);
    expect(s.engine.history()[0]).toMatchObject({ status: 'pending', dueTime: s.t0 + 2 * MINUTE });
    await advance(s, 2 * MINUTE - 1);
    expect(server.requests).toHaveLength(1);
    await advance(s, 1);
    expect(server.requests.map((_, i) => body(i)['dedup_key'])).toEqual([id, id]);
    expect(s.engine.history()[0]?.attempts.map((a) => a.outcome)).toEqual(['TooManyRequests', 'Delivered']);
  });

  it('400 (an event PagerDuty finds invalid) is dead-lettered at once', async () => {
    server.otherwise(pagerDutyReceiver('another-routing-key'));
    const s = setup();
    s.fire();
    await settle(s.engine);
    expect(s.letters).toHaveLength(1);
    expect(s.letters[0]).toMatchObject({ deadLetterReason: 'NonRetriableStatus', lastHttpStatusCode: 400 });
    expect(s.engine.history()[0]?.attempts[0]?.body).toContain('invalid event');
  });

  it('5xx is retried', async () => {
    server.script(respond(502));
    server.otherwise(pagerDutyReceiver(ROUTING_KEY));
    const s = setup();
    s.fire();
    await settle(s.engine);
    await advance(s, 10 * SECOND);
    expect(s.engine.history()[0]?.attempts.map((a) => a.status)).toEqual([502, 202]);
  });
});

describe('GitHub repository_dispatch (a receiver that checks what the REST API checks)', () => {
  const gh = { token: GH_TOKEN, owner: 'acme', repo: 'trainer' };
  const setup = (clientPayload?: Record<string, string>, token = GH_TOKEN) => {
    const s = destinationEngine({
      integrations: {
        gh: GitHubIntegration({ token, owner: 'acme', repo: 'trainer', apiUrl: server.origin }),
      },
      action: DispatchGitHubWorkflow({
        integration: 'gh',
        eventType: 'retrain',
        ...(clientPayload !== undefined && { clientPayload }),
      }),
    });
    engines.push(s.engine);
    return s;
  };

  it('POST /repos/{owner}/{repo}/dispatches with a bearer token, the event type and the templated payload; 204 delivered', async () => {
    server.otherwise(gitHubReceiver(gh));
    const s = setup({ run: '${run_id}', metric: '${metric_name}', value: '${metric_value}' });
    s.fire({ value: 3 });
    await settle(s.engine);
    const r = server.requests[0];
    expect(r?.url).toBe('/repos/acme/trainer/dispatches');
    expect(r?.headers['x-github-api-version']).toBe('2022-11-28');
    expect(body(0)).toEqual({
      event_type: 'retrain',
      client_payload: { run: 'r1', metric: 'm', value: '3' },
    });
    expect(s.engine.history()[0]?.attempts[0]).toMatchObject({ outcome: 'Delivered', status: 204 });
  });

  it('without clientPayload the firing itself goes, within the ten keys', async () => {
    server.otherwise(gitHubReceiver(gh));
    const s = setup();
    const id = s.fire();
    await settle(s.engine);
    const payload = body(0)['client_payload'] as Record<string, unknown>;
    expect(payload).toMatchObject({ firing_id: id, automation: 'a', run_id: 'r1' });
    expect(Object.keys(payload).length).toBeLessThanOrEqual(10);
    expect(s.engine.history()[0]?.status).toBe('finished');
  });

  it('more than 10 top-level clientPayload keys is refused when saved', () => {
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    expect(() =>
      DispatchGitHubWorkflow({ integration: 'gh', eventType: 'x', clientPayload: eleven }),
    ).toThrow(/at most 10 top-level/);
  });

  it.each([
    [401, 'a bad token', 'Unauthorized'],
    [422, 'a payload GitHub refuses', 'PermanentFailure'],
  ] as const)('%i (%s) is dead-lettered at once', async (status, _why, outcome) => {
    if (status === 401) server.otherwise(gitHubReceiver({ ...gh, token: 'ghp_other' }));
    else server.otherwise(respond(422));
    const s = setup({ run: '${run_id}' });
    s.fire();
    await settle(s.engine);
    expect(s.letters).toHaveLength(1);
    expect(s.letters[0]).toMatchObject({ lastHttpStatusCode: status, lastDeliveryOutcome: outcome });
  });

  it('5xx is retried; a 403 rate limit is retried when it resets, not dead-lettered', async () => {
    server.script(respond(503), respond(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0' }));
    server.otherwise(gitHubReceiver(gh));
    const s = setup({ run: '${run_id}' });
    s.fire();
    await settle(s.engine);
    await advance(s, 30 * SECOND);
    await advance(s, 30 * SECOND);
    expect(s.engine.history()[0]?.attempts.map((a) => a.status)).toEqual([503, 403, 204]);
    expect(s.letters).toEqual([]);
  });
});

describe('Microsoft Teams workflow webhook (an Adaptive Card)', () => {
  const setup = (digest?: number) => {
    const s = destinationEngine({
      integrations: { teams: TeamsIntegration({ webhookUrl: `${server.origin}${TEAMS_PATH}` }) },
      action: SendTeamsMessage({
        integration: 'teams',
        title: 'Metric ${metric_name}',
        message: '${run_id} logged ${metric_value}',
        severity: 'warn' as 'WARN',
        ...(digest !== undefined && { digest: { windowMs: digest } }),
      }),
    });
    engines.push(s.engine);
    return s;
  };

  it('posts a message with one Adaptive Card showing the title, message, severity and evidence; 202 delivered', async () => {
    server.otherwise(teamsReceiver());
    const s = setup();
    const id = s.fire({ value: 2 });
    await settle(s.engine);
    const card = (body(0) as { attachments: { content: { body: Record<string, unknown>[] } }[] })
      .attachments[0]?.content;
    expect(card?.body[0]).toMatchObject({ type: 'TextBlock', text: '⚠️ Metric m', color: 'Warning' });
    expect(card?.body[1]).toMatchObject({ type: 'TextBlock', text: 'r1 logged 2' });
    const facts = (card?.body[2] as { facts: { title: string; value: string }[] } | undefined)?.facts;
    expect(facts).toContainEqual({ title: 'Severity', value: 'WARN' });
    expect(facts).toContainEqual({ title: 'Condition', value: 'm > 0' });
    expect(facts).toContainEqual({ title: 'Metric', value: 'm = 2' });
    expect(JSON.stringify(card)).toContain(id);
    expect(s.engine.history()[0]?.attempts[0]).toMatchObject({ outcome: 'Delivered', status: 202 });
  });

  it('200 is delivered too; 429 is retried after Retry-After; 400 is dead-lettered', async () => {
    server.script(respond(200), respond(429, { 'retry-after': '45' }), respond(400));
    const s = setup();
    s.fire({ runId: 'r1' });
    s.fire({ runId: 'r2' });
    await settle(s.engine);
    await advance(s, 45 * SECOND);
    const byRun = s.engine.history().map((r) => [r.firing.runId, r.attempts.map((a) => a.status)]);
    expect(byRun).toEqual(
      expect.arrayContaining([
        ['r1', [200]],
        ['r2', [429, 400]],
      ]),
    );
    expect(s.letters).toHaveLength(1);
  });

  it('a digest posts one card listing the firings when the window closes', async () => {
    server.otherwise(teamsReceiver());
    const s = setup(60 * SECOND);
    for (let i = 1; i <= 3; i++) s.fire({ runId: `r${i}`, value: i });
    await settle(s.engine);
    expect(server.requests).toHaveLength(0);
    await advance(s, 60 * SECOND);
    expect(server.requests).toHaveLength(1);
    const text = server.requests[0]?.body ?? '';
    expect(text).toContain('3 firings of a in 1 min');
    for (const line of ['r1 logged 1', 'r2 logged 2', 'r3 logged 3']) expect(text).toContain(line);
    expect(s.engine.history()[0]?.status).toBe('finished');
  });
});

describe("W&B-compatible signing: WebhookIntegration({ signing: 'wandb' })", () => {
  it('adds X-Wandb-Signature: base64 HMAC-SHA256 of the body keyed by the secret text (W&B docs webhook_test.sh)', async () => {
    const secret = 'my wandb secret: not base64!';
    const s = destinationEngine({
      integrations: {
        hook: WebhookIntegration({
          url: `${server.origin}/hook`,
          secret,
          signing: 'wandb',
          accessToken: 'tok-1234',
        }),
      },
      action: SendWebhook({ integration: 'hook', payload: { run: '${run_id}' } }),
    });
    engines.push(s.engine);
    const id = s.fire();
    await settle(s.engine);
    const r = server.requests[0];
    // What W&B's documented receiver computes: openssl dgst -sha256 -hmac "$SECRET" -binary | base64.
    const expected = createHmac('sha256', secret)
      .update(r?.body ?? '')
      .digest('base64');
    expect(r?.headers['x-wandb-signature']).toBe(expected);
    expect(r?.headers.authorization).toBe('Bearer tok-1234');
    expect(r?.headers['webhook-id']).toBe(id);
    expect(r?.headers['webhook-signature']).toBeUndefined();
  });

  it("'standard' stays the default, and a wandb secret need not be a whsec_ key", () => {
    expect(() => WebhookIntegration({ url: 'http://127.0.0.1:1/x', secret: 'plain text' })).toThrow();
    expect(
      WebhookIntegration({ url: 'http://127.0.0.1:1/x', secret: 'plain text', signing: 'wandb' }).signing,
    ).toBe('wandb');
  });
});

describe('an action its integration cannot deliver', () => {
  // Refused when saved now (management checks the integration's kind), so it never reaches delivery.
  it('is refused when saved, naming the integration and what it delivers', () => {
    const engine = createEngine({
      integrations: {
        pd: PagerDutyIntegration({ routingKey: ROUTING_KEY, url: `${server.origin}/v2/enqueue` }),
      },
    });
    engines.push(engine);
    const draft = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }).do(
      SendNotification({ integration: 'pd', title: 't' }),
    );
    let caught: unknown;
    try {
      engine.save(draft, { name: 'a' });
    } catch (error) {
      caught = error;
    }
    expect(isDefinitionError(caught) && caught.issues.map((i) => [i.code, i.path, i.message])).toEqual([
      [
        'invalid_value',
        ['action', 'integration'],
        '"pd" is a PagerDutyIntegration, which delivers SendPagerDuty actions, not SendNotification',
      ],
    ]);
    expect(engine.list()).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });
});
