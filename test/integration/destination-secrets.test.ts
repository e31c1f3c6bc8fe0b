import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createEngine,
  type DeadLetter,
  type DeliveryRecord,
  DispatchGitHubWorkflow,
  EmailIntegration,
  type Engine,
  GitHubIntegration,
  type Issue,
  isDefinitionError,
  OnRunMetric,
  PagerDutyIntegration,
  RunEvent,
  SendEmail,
  SendPagerDuty,
  SendTeamsMessage,
  TeamsIntegration,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { settle } from '../helpers/destination-engine.js';
import { type RecordedRequest, startServer, type TestServer } from '../helpers/http-server.js';
import { startSmtpServer, type TestSmtpServer, testCertificate } from '../helpers/smtp-server.js';

const SMTP_PASS = 'smtp-Pass/Q7x+9z=Secret';
const ROUTING_KEY = 'pdRoutingKey/Zq8+v3Xk=91';
const GH_TOKEN = 'ghp_Secret/Token+7f3a=c1e5';
const TEAMS_SIG = 'teamsSig/Xw2+Lm9=Qp4';

/** Every form a secret could take in a text: as it is, JSON-escaped, and URL-encoded (component, form, URI). */
function forms(secret: string): string[] {
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    encodeURIComponent(secret).toLowerCase(),
    new URLSearchParams([['', secret]]).toString().slice(1),
    encodeURI(secret),
  ];
}

let http: TestServer | undefined;
let smtp: TestSmtpServer | undefined;
let engine: Engine | undefined;
let dir: string | undefined;

afterEach(async () => {
  await engine?.close({ abort: true });
  await http?.close();
  await smtp?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  engine = undefined;
  http = undefined;
  smtp = undefined;
  dir = undefined;
});

/** A receiver that answers with everything it was sent: the path and query, the headers and the body. */
const echo = (status: number) => (r: RecordedRequest) => ({
  kind: 'respond' as const,
  status,
  body: JSON.stringify({ url: r.url, headers: r.headers, body: r.body }),
});

describe('secrets of the new destinations never appear in a log, error, record, dead letter or snapshot', () => {
  it('SMTP password, routing key, GitHub token and Teams URL: in no form, even when a receiver echoes them', async () => {
    http = await startServer();
    http.otherwise((r) => echo(r.url.startsWith('/v2/') ? 400 : r.url.startsWith('/repos/') ? 401 : 500)(r));
    const tls = testCertificate();
    smtp = await startSmtpServer({ tls, users: { bot: 'another password' } });
    dir = await mkdtemp(join(tmpdir(), 'dest-secrets-'));
    const letterFile = join(dir, 'letters.jsonl');
    const teamsUrl = `${http.origin}/workflows/1/triggers/manual/paths/invoke?api-version=1&sig=${encodeURIComponent(TEAMS_SIG)}`;
    const integrations = {
      mail: EmailIntegration({
        host: '127.0.0.1',
        port: smtp.port,
        starttls: true,
        auth: { user: 'bot', pass: SMTP_PASS },
        from: 'ml@acme.io',
        to: ['ana@acme.io'],
        tls: { ca: tls.cert },
      }),
      pd: PagerDutyIntegration({ routingKey: ROUTING_KEY, url: `${http.origin}/v2/enqueue` }),
      gh: GitHubIntegration({ token: GH_TOKEN, owner: 'acme', repo: 'trainer', apiUrl: http.origin }),
      teams: TeamsIntegration({ webhookUrl: teamsUrl }),
    };
    const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
    engine = createEngine({ clock, integrations, delivery: { deadLetter: { file: letterFile } } });
    const actions = [
      SendEmail({ integration: 'mail', subject: 's', body: 'b' }),
      SendPagerDuty({ integration: 'pd', severity: 'error' }),
      DispatchGitHubWorkflow({ integration: 'gh', eventType: 'retrain' }),
      SendTeamsMessage({ integration: 'teams', title: 't', message: 'm' }),
    ];
    for (const [i, action] of actions.entries()) {
      engine.save(OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric(`m${i}`).gt(0) }).do(action), {
        name: `a${i}`,
        cooldownMs: 0,
      });
    }
    const issues: Issue[] = [];
    const records: DeliveryRecord[] = [];
    const letters: DeadLetter[] = [];
    engine.errors$.subscribe((i) => issues.push(i));
    engine.deliveries$.subscribe((r) => records.push(r));
    engine.on('dead-lettered', (l) => letters.push(l));
    engine.ingest({
      id: 'e1',
      source: '/t',
      type: 'run.metrics',
      data: { entity: 'acme', project: 'vision', runId: 'r1', metrics: { m0: 1, m1: 1, m2: 1, m3: 1 } },
    });
    await settle(engine);
    await new Promise((r) => setTimeout(r, 50));

    // Each failed as its service would make it fail: 535, 400, 401 (dead-lettered) and 500 (pending, retried).
    expect(letters.map((l) => l.automationName).sort()).toEqual(['a0', 'a1', 'a2']);
    expect(engine.history({ status: 'pending' }).map((r) => r.automationName)).toEqual(['a3']);
    // The echoes did reach history's body prefix, redacted.
    expect(JSON.stringify(engine.history())).toContain('[redacted]');

    const refusals: unknown[] = [];
    const refuse = (f: () => unknown): void => {
      try {
        f();
      } catch (error) {
        expect(isDefinitionError(error)).toBe(true);
        refusals.push(error, (error as Error).message, inspect(error, { depth: 10 }));
      }
    };
    refuse(() =>
      EmailIntegration({
        host: '127.0.0.1',
        port: 25,
        secure: true,
        starttls: true,
        auth: { user: 'u', pass: SMTP_PASS },
        from: 'a@b.c',
        to: ['a@b.c'],
      }),
    );
    refuse(() =>
      EmailIntegration({
        host: '127.0.0.1',
        port: 25,
        auth: { user: 'u', pass: SMTP_PASS },
        from: 'a@b.c',
        to: ['a@b.c'],
        extra: SMTP_PASS,
      } as never),
    );
    refuse(() => PagerDutyIntegration({ routingKey: `${ROUTING_KEY} \n` }));
    refuse(() =>
      GitHubIntegration({ token: GH_TOKEN, owner: 'a/b', repo: 'r', password: GH_TOKEN } as never),
    );
    refuse(() => TeamsIntegration({ webhookUrl: `ftp://x/?sig=${TEAMS_SIG}` }));
    const metadataTeams = TeamsIntegration({ webhookUrl: `http://169.254.169.254/?sig=${TEAMS_SIG}` });
    refuse(() => createEngine({ integrations: { metadataTeams } }));
    expect(refusals).toHaveLength(18);

    const everything = [
      JSON.stringify(issues),
      inspect(issues, { depth: 10 }),
      JSON.stringify(records),
      JSON.stringify(engine.history()),
      JSON.stringify(letters),
      await readFile(letterFile, 'utf8'),
      JSON.stringify(engine.snapshot()),
      JSON.stringify(integrations),
      inspect(integrations, { depth: 10 }),
      ...refusals.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))),
    ].join('\n');
    for (const secret of [SMTP_PASS, ROUTING_KEY, GH_TOKEN, TEAMS_SIG, teamsUrl]) {
      for (const form of forms(secret))
        expect(everything, `a form of ${secret}: ${form}`).not.toContain(form);
    }
  });
});
