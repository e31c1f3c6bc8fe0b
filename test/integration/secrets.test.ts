import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import {
  CallbackSink,
  createEngine,
  type Engine,
  type Issue,
  OnRunMetric,
  RunEvent,
  SendNotification,
  SendWebhook,
} from '../../src/index.js';
import type { DeadLetter, DeliveryRecord } from '../../src/sinks/delivery/delivery-record.js';
import { SlackIntegration, WebhookIntegration } from '../../src/sinks/http/integrations.js';
import { VirtualClock } from '../../src/testing/index.js';
import {
  type Behaviour,
  type RecordedRequest,
  reset,
  startServer,
  type TestServer,
} from '../helpers/http-server.js';

const { FC_RUNS } = process.env;
const NUM_RUNS = Number(FC_RUNS ?? 200);
const T0 = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;

// A fresh receiver every few hundred runs: the test server has a lifetime and a request budget that 2,000 runs outlast.
let server: TestServer | undefined;
let serverStarted = 0;
const received = { slack: false, bearer: false };
afterAll(async () => {
  await server?.close();
});

async function receiver(): Promise<TestServer> {
  if (server === undefined || server.requests.length > 4_000 || performance.now() - serverStarted > 90_000) {
    await server?.close();
    server = await startServer();
    serverStarted = performance.now();
  }
  return server;
}

/** The characters that escape differently in JSON, in URLs and in forms, and a few that do not. */
const awkward = fc.constantFrom(
  '"',
  '\\',
  '/',
  '+',
  '%',
  ' ',
  '&',
  '=',
  '?',
  "'",
  '<',
  'é',
  '日本',
  '😀',
  '%2F',
);
const tail = fc
  .array(fc.oneof(awkward, fc.string({ maxLength: 3 }), fc.constantFrom('\n', '\t', '\u0001')), {
    maxLength: 10,
  })
  .map((parts) => parts.join(''));
const asciiTail = fc
  .array(
    fc.oneof(fc.constantFrom('"', '\\', '/', '+', '%', '&', '=', "'"), fc.stringMatching(/^[!-~]{0,3}$/)),
    {
      maxLength: 10,
    },
  )
  .map((parts) => parts.join(''));
/** A marker no output holds by chance, so a hit is a leak and never a coincidence. */
const marker = fc.stringMatching(/^[A-Za-z0-9]{10}$/);

type Failure = 'echo-400' | 'echo-500' | 'reset';
const failure = fc.constantFrom<Failure>('echo-400', 'echo-500', 'reset');

const scenario = fc.record({
  marker,
  slackTail: tail,
  tokenTail: asciiTail,
  namedTail: tail,
  key: fc.uint8Array({ minLength: 24, maxLength: 64 }),
  slackFails: failure,
  hookFails: failure,
  viaEnv: fc.boolean(),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

/** Every form a secret can take on its way out: as it is, JSON-escaped, and URL-encoded. */
function forms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const component = encodeURIComponent(secret);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  return [...new Set([secret, json, component, component.replaceAll('%20', '+'), form])];
}

/** Every string inside a value (keys too), so a secret is found as it is, whatever the printer does with it. */
function strings(value: unknown, out: string[] = [], seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'object' && value !== null && !seen.has(value)) {
    seen.add(value);
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out, seen);
    }
    if (value instanceof Error) out.push(value.message, value.stack ?? '');
  }
  return out;
}

/** The receiver answers by echoing what it got: the path, the bearer token and the body. */
function echo(status: number): (r: RecordedRequest) => Behaviour {
  return (r) => ({
    kind: 'respond',
    status,
    body: `${r.url}\n${String(r.headers.authorization)}\n${r.body}`,
  });
}

function behave(kind: Failure, r: RecordedRequest): Behaviour {
  if (kind === 'reset') return reset;
  return echo(kind === 'echo-400' ? 400 : 500)(r);
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** Run deliveries until `done` (each failure retried once, on virtual time), at most 8 rounds. */
async function settle(engine: Engine, clock: VirtualClock, done: () => boolean): Promise<void> {
  for (let i = 0; i < 8 && !done(); i++) {
    await engine.idle();
    await new Promise((r) => setImmediate(r));
    await engine.idle();
    clock.advance(2 * MINUTE);
  }
  await engine.idle();
}

async function check(sc: Scenario): Promise<void> {
  const s = await receiver();
  const before = s.requests.length;
  await checkWith(sc, s);
  const mine = s.requests.slice(before);
  received.slack ||= mine.some((r) => r.url.startsWith('/slack/'));
  received.bearer ||= mine.some((r) => r.headers.authorization?.startsWith('Bearer ') === true);
}

async function checkWith(sc: Scenario, server: TestServer): Promise<void> {
  const slackUrl = `${server.origin}/slack/${sc.marker}S${sc.slackTail}`;
  const whsec = `whsec_${Buffer.from(sc.key).toString('base64')}`;
  const token = `${sc.marker}T${sc.tokenTail}`;
  const named = `${sc.marker}N${sc.namedTail}`;
  const secrets = [slackUrl, new URL(slackUrl).href, whsec, whsec.slice('whsec_'.length), token, named];

  const vars = {
    SLACK_URL_SECRETS_TEST: slackUrl,
    HOOK_SECRET_SECRETS_TEST: whsec,
    TOKEN_SECRETS_TEST: token,
  };
  Object.assign(process.env, vars);
  const ref = (name: keyof typeof vars, value: string) => (sc.viaEnv ? { env: name } : value);
  const slack = SlackIntegration({
    webhookUrl: ref('SLACK_URL_SECRETS_TEST', slackUrl) as string,
  });
  const hook = WebhookIntegration({
    url: `${server.origin}/hook`,
    secret: ref('HOOK_SECRET_SECRETS_TEST', whsec) as string,
    accessToken: ref('TOKEN_SECRETS_TEST', token) as string,
    secrets: { API_KEY: named },
  });
  for (const name of Object.keys(vars)) delete process.env[name];

  server.otherwise((r) => behave(r.url.startsWith('/slack/') ? sc.slackFails : sc.hookFails, r));
  // A custom sink whose error quotes the secrets, JSON-escaped and URL-encoded, as a client library might.
  const quoting = CallbackSink(() => {
    throw new Error(
      `upstream refused ${JSON.stringify({ slackUrl, token, named })} ?t=${encodeURIComponent(named)}`,
    );
  });
  const integrations = { slack, hook, quoting };

  // Refused URLs, by the engine's delivery policy: a metadata host, and a host not in allowHosts.
  const metadataSlack = SlackIntegration({
    webhookUrl: `http://169.254.169.254/${sc.marker}S${sc.slackTail}`,
  });
  const refusals = [
    thrown(() => createEngine({ integrations: { metadataSlack } })),
    thrown(() => createEngine({ integrations, delivery: { allowHosts: ['example.com'] } })),
    thrown(() => WebhookIntegration({ url: `${server.origin}/hook`, accessToken: `${token} ` })),
  ];
  const refusedSecrets = [`http://169.254.169.254/${sc.marker}S${sc.slackTail}`, `${token} `];

  const clock = new VirtualClock(T0);
  const issues: Issue[] = [];
  const letters: DeadLetter[] = [];
  const records: DeliveryRecord[] = [];
  const engine = createEngine({ clock, integrations, delivery: { deadLetter: (l) => void letters.push(l) } });
  engine.errors$.subscribe((i) => issues.push(i));
  engine.deliveries$.subscribe((r) => records.push(r));
  const retry = { maxDeliveryAttempts: 2 };
  const filter = RunEvent.metric('m').gt(0);
  const on = OnRunMetric({ scope: 'acme/vision', filter });
  engine.save(on.do(SendNotification({ integration: 'slack', title: 't', message: 'm' })), {
    name: 'slack-note',
    retryPolicy: retry,
  });
  engine.save(on.do(SendWebhook({ integration: 'slack', payload: { text: '${run_id}' } })), {
    name: 'slack-hook',
    retryPolicy: retry,
  });
  engine.save(on.do(SendWebhook({ integration: 'hook', payload: { leak: '${API_KEY}' } })), {
    name: 'hook',
    retryPolicy: retry,
  });
  engine.save(on.do(SendWebhook({ integration: 'quoting' })), { name: 'quoting', retryPolicy: retry });
  engine.ingest({
    id: 'e1',
    source: '/t',
    type: 'run.metrics',
    data: { entity: 'acme', project: 'vision', runId: 'r1', metrics: { m: 1 } },
  });
  const pending = engine.snapshot();
  await settle(engine, clock, () => letters.length === 4);
  expect(letters.length).toBe(4);

  const outputs: unknown[] = [
    refusals,
    issues,
    letters,
    records,
    engine.history(),
    pending,
    engine.snapshot(),
    engine.stats(),
  ];
  // Integrations hold their secrets as data (they must, to deliver): only what prints them is checked.
  const texts = [
    ...outputs.flatMap((o) => strings(o)),
    ...outputs.map((o) => JSON.stringify(o, (_k, v: unknown) => (v instanceof Error ? strings(v) : v))),
    ...outputs.map((o) => inspect(o, { depth: Number.POSITIVE_INFINITY })),
    JSON.stringify(integrations),
    inspect(integrations, { depth: Number.POSITIVE_INFINITY }),
    inspect(engine, { depth: 6 }),
    inspect(slack),
    inspect(hook),
    `${String(slack)}${String(hook)}`,
  ];
  for (const secret of [...secrets, ...refusedSecrets]) {
    for (const form of forms(secret)) {
      const hit = texts.find((t) => t.includes(form));
      expect(hit === undefined ? undefined : { form, in: hit.slice(0, 500) }).toBeUndefined();
    }
  }
  await engine.close({ abort: true });
}

it(
  'no secret, JSON-escaped or URL-encoded, reaches an issue, record, dead letter, snapshot or printout, whatever delivery meets',
  async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (sc) => check(sc)),
      { numRuns: NUM_RUNS },
    );
    // The receiver did get the secrets, so the test would see them if they leaked.
    expect(received).toEqual({ slack: true, bearer: true });
  },
  Math.max(120_000, NUM_RUNS * 300),
);
