import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmailIntegration, type Engine, SendEmail } from '../../src/index.js';
import { advance, type DestinationSetup, destinationEngine, settle } from '../helpers/destination-engine.js';
import { startSmtpServer, type TestSmtpServer, testCertificate } from '../helpers/smtp-server.js';

const USER = 'ml-bot';
const PASS = 'smtp-pass/Q7x+9z=w';
const SECOND = 1000;

let tls: { key: string; cert: string };
let smtp: TestSmtpServer | undefined;
let engines: Engine[] = [];

beforeAll(() => {
  tls = testCertificate();
});

afterEach(async () => {
  for (const e of engines) await e.close({ abort: true });
  engines = [];
  await smtp?.close();
  smtp = undefined;
});

afterAll(() => undefined);

async function setup(
  options: {
    pass?: string | { env: string };
    secure?: boolean;
    hideStartTls?: boolean;
    digest?: number;
  } = {},
): Promise<DestinationSetup & { server: TestSmtpServer }> {
  const server = await startSmtpServer({
    tls,
    users: { [USER]: PASS },
    ...(options.secure !== undefined && { secure: options.secure }),
    ...(options.hideStartTls !== undefined && { hideStartTls: options.hideStartTls }),
  });
  smtp = server;
  const s = destinationEngine({
    integrations: {
      mail: EmailIntegration({
        host: '127.0.0.1',
        port: server.port,
        ...(options.secure === true ? { secure: true } : { starttls: true }),
        auth: { user: USER, pass: options.pass ?? PASS },
        from: 'ML alerts <ml@acme.io>',
        to: ['ana@acme.io', 'ops@acme.io'],
        tls: { ca: tls.cert },
      }),
    },
    action: SendEmail({
      integration: 'mail',
      subject: '[${project_name}] ${metric_name} on ${run_name}',
      body: 'Run ${run_name} logged ${metric_name} = ${metric_value}.',
      ...(options.digest !== undefined && { digest: { windowMs: options.digest } }),
    }),
  });
  engines.push(s.engine);
  return { ...s, server };
}

describe('email through a real SMTP server on 127.0.0.1 (STARTTLS with a test certificate, AUTH)', () => {
  it('delivers over STARTTLS after AUTH: envelope, headers, a plain-text part and an HTML part with the evidence', async () => {
    const s = await setup();
    const id = s.fire({ runName: 'sweep <7>', value: 0.97 });
    await settle(s.engine);

    expect(s.server.logins).toEqual([{ user: USER, secure: true, ok: true }]);
    expect(s.server.messages).toHaveLength(1);
    const mail = s.server.messages[0];
    expect(mail?.secure).toBe(true);
    expect(mail?.user).toBe(USER);
    expect(mail?.mailFrom).toBe('ml@acme.io');
    expect(mail?.rcptTo).toEqual(['ana@acme.io', 'ops@acme.io']);
    const h = mail?.headers;
    expect(h?.get('from')).toBe('ML alerts <ml@acme.io>');
    expect(h?.get('to')).toBe('ana@acme.io, ops@acme.io');
    expect(h?.get('subject')).toBe('[vision] m on sweep <7>');
    expect(h?.get('message-id')).toBe(`<${id}@ml-automations>`);
    expect(h?.get('auto-submitted')).toBe('auto-generated');
    expect(Date.parse(h?.get('date') ?? '')).toBe(s.t0);
    expect(h?.get('content-type')).toMatch(/^multipart\/alternative/);

    expect(mail?.text).toContain('Run sweep <7> logged m = 0.97.');
    expect(mail?.text).toContain('Condition: m > 0');
    expect(mail?.text).toContain('Run: sweep <7> (r1)');
    expect(mail?.text).toContain(`Firing ${id}`);
    // The HTML part shows the same facts, every value escaped.
    expect(mail?.html).toContain(
      '<th align="left" style="padding:2px 12px 2px 0">Metric</th><td>m = 0.97</td>',
    );
    expect(mail?.html).toContain('sweep &lt;7&gt; (r1)');
    expect(mail?.html).not.toContain('<7>');

    const record = s.engine.history()[0];
    expect(record).toMatchObject({ firingId: id, status: 'finished' });
    expect(record?.attempts.map((a) => a.outcome)).toEqual(['Delivered']);
  });

  it('implicit TLS (secure: true) delivers too', async () => {
    const s = await setup({ secure: true });
    s.fire();
    await settle(s.engine);
    expect(s.server.messages.map((m) => m.secure)).toEqual([true]);
    expect(s.engine.history()[0]?.status).toBe('finished');
  });

  it('a 4xx reply is retried on the schedule; the retry carries the same Message-ID', async () => {
    const s = await setup();
    s.server.refuse({ at: 'rcpt', code: 450, message: 'Mailbox busy, try later' });
    const id = s.fire();
    await settle(s.engine);
    expect(s.engine.history()[0]).toMatchObject({ status: 'pending' });
    expect(s.engine.history()[0]?.attempts[0]).toMatchObject({ outcome: 'TransientFailure' });
    expect(s.engine.history()[0]?.attempts[0]?.error).toContain('450');
    await advance(s, 10 * SECOND);
    const record = s.engine.history()[0];
    expect(record?.status).toBe('finished');
    expect(record?.attempts.map((a) => a.outcome)).toEqual(['TransientFailure', 'Delivered']);
    expect(record?.attempts[1]?.time).toBe(s.t0 + 10 * SECOND);
    expect(s.server.messages.map((m) => m.headers.get('message-id'))).toEqual([`<${id}@ml-automations>`]);
    expect(s.letters).toEqual([]);
  });

  it.each([
    ['rcpt', 550, 'No such user'],
    ['data', 554, 'Message rejected as spam'],
  ] as const)('a 5xx reply at %s (%i) is dead-lettered at once', async (at, code, message) => {
    const s = await setup();
    s.server.refuse({ at, code, message });
    const id = s.fire();
    await settle(s.engine);
    await advance(s, 3600 * SECOND);
    expect(s.server.messages).toHaveLength(0);
    expect(s.letters).toHaveLength(1);
    expect(s.letters[0]).toMatchObject({
      deadLetterReason: 'NonRetriableStatus',
      deliveryAttempts: 1,
      lastDeliveryOutcome: 'PermanentFailure',
    });
    expect(s.engine.history()[0]).toMatchObject({ firingId: id, status: 'failed' });
    expect(s.engine.history()[0]?.attempts[0]?.error).toContain(String(code));
  });

  it('a wrong password (535) is dead-lettered, and the password is in no issue, record or letter', async () => {
    const s = await setup({ pass: 'wrong-pass/Q7x+9z=w' });
    s.fire();
    await settle(s.engine);
    expect(s.server.logins).toEqual([{ user: USER, secure: true, ok: false }]);
    expect(s.letters[0]).toMatchObject({ lastDeliveryOutcome: 'PermanentFailure' });
    const shown = JSON.stringify([s.issues, s.engine.history(), s.letters, s.engine.snapshot()]);
    expect(shown).not.toContain('wrong-pass');
    expect(shown).toContain('535');
  });

  it('a server that refuses STARTTLS (500) never gets the credentials: dead-lettered, not sent in clear', async () => {
    const s = await setup({ hideStartTls: true });
    s.fire();
    await settle(s.engine);
    expect(s.server.logins).toEqual([]);
    expect(s.server.messages).toEqual([]);
    expect(s.engine.history()[0]).toMatchObject({ status: 'failed', deadLetterReason: 'NonRetriableStatus' });
    expect(s.engine.history()[0]?.attempts[0]).toMatchObject({ outcome: 'PermanentFailure' });
  });

  it('a digest: firings within the window go out as one email listing them when the window closes', async () => {
    const s = await setup({ digest: 60 * SECOND });
    const first = s.fire({ runId: 'r1', runName: 'r1', value: 1 });
    await advance(s, 10 * SECOND);
    s.fire({ runId: 'r2', runName: 'r2', value: 2 });
    s.fire({ runId: 'r3', runName: 'r3', value: 3 });
    await settle(s.engine);
    expect(s.server.messages).toHaveLength(0);
    expect(s.engine.history()).toHaveLength(1);
    expect(s.engine.history()[0]).toMatchObject({ status: 'pending', dueTime: s.t0 + 60 * SECOND });
    await advance(s, 50 * SECOND);
    expect(s.server.messages).toHaveLength(1);
    const mail = s.server.messages[0];
    expect(mail?.text).toContain('3 firings of a in 1 min');
    expect(mail?.text).toContain('Run r1 logged m = 1.');
    expect(mail?.text).toContain('Run r3 logged m = 3.');
    const record = s.engine.history()[0];
    expect(record?.status).toBe('finished');
    expect(record?.firing.digest?.firings.map((f) => f.runId)).toEqual(['r1', 'r2', 'r3']);
    expect(record?.firing.digest?.firings[0]?.id).toBe(first);
  });
});

describe('the SMTP password by reference', () => {
  const VARIABLE = 'MLA_TEST_SMTP_PASSWORD';
  afterEach(() => {
    delete process.env[VARIABLE];
  });

  it('reads auth.pass from the environment, logs in with it, and JSON shows the reference, never the value', async () => {
    process.env[VARIABLE] = PASS;
    const s = await setup({ pass: { env: VARIABLE } });
    s.fire({ runName: 'r', value: 1 });
    await settle(s.engine);
    expect(s.server.logins).toEqual([{ user: USER, secure: true, ok: true }]);
    expect(s.server.messages).toHaveLength(1);
    const mail = EmailIntegration({
      host: 'smtp.acme.io',
      port: 587,
      auth: { user: USER, pass: { env: VARIABLE } },
      from: 'ml@acme.io',
      to: ['ana@acme.io'],
    });
    const shown = JSON.parse(JSON.stringify(mail)) as { auth: unknown };
    expect(shown.auth).toEqual({ user: USER, pass: { env: VARIABLE } });
    // Printed, the integration reads back as the same one.
    expect(EmailIntegration(shown as never)).toEqual(mail);
    const given = EmailIntegration({ ...mail, auth: { user: USER, pass: PASS } });
    expect(JSON.stringify(given)).not.toContain(PASS);
    expect(JSON.parse(JSON.stringify(given)).auth).toEqual({ user: USER, pass: '[redacted]' });
  });

  it('a variable that is not set is a DefinitionError naming auth.pass and the variable, never a value', () => {
    let thrown: unknown;
    try {
      EmailIntegration({
        host: 'smtp.acme.io',
        port: 587,
        auth: { user: USER, pass: { env: VARIABLE } },
        from: 'ml@acme.io',
        to: ['ana@acme.io'],
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      name: 'DefinitionError',
      issues: [{ path: ['auth', 'pass'], value: { env: VARIABLE } }],
    });
    expect((thrown as Error).message).toContain(VARIABLE);
  });
});
