import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DefinitionError, isDefinitionError } from '../../../src/errors/definition-error.js';
import { createEngine } from '../../../src/index.js';
import {
  isHttpIntegration,
  SlackIntegration,
  WebhookIntegration,
} from '../../../src/sinks/http/integrations.js';
import { SECRET } from './firings.js';

const TOKEN = 'tok_9f8e7d6c5b4a';
const API_KEY = 'api-key-0123456789';

function refusal(f: () => unknown): DefinitionError {
  try {
    f();
  } catch (error) {
    if (isDefinitionError(error)) return error;
    throw error;
  }
  throw new Error('expected a DefinitionError');
}

/** Everything a person or a log could see of a value. */
function shown(value: unknown): string {
  return [JSON.stringify(value), inspect(value, { depth: 10 }), String(value), `${value}`].join('\n');
}

describe('SlackIntegration', () => {
  const URL_SECRET = 'https://hooks.slack.com/services/T0001/B0002/slackTokenZq8v3XkWm1';

  it('a frozen plain object with a literal type', () => {
    const slack = SlackIntegration({ webhookUrl: 'http://127.0.0.1:9000/slack' });
    expect({ ...slack }).toEqual({ type: 'SlackIntegration', webhookUrl: 'http://127.0.0.1:9000/slack' });
    expect(Object.isFrozen(slack)).toBe(true);
    // The URL is a credential (Slack's token is its path): JSON shows it redacted.
    expect(JSON.parse(JSON.stringify(slack))).toEqual({ type: 'SlackIntegration', webhookUrl: '[redacted]' });
    expect(isHttpIntegration(slack)).toBe(true);
  });

  it('the webhook URL is a credential: JSON.stringify, util.inspect and String() never show it', () => {
    const slack = SlackIntegration({ webhookUrl: URL_SECRET });
    const text = shown(slack) + shown({ nested: [slack] });
    expect(text).not.toContain('slackTokenZq8v3XkWm1');
    expect(text).not.toContain('/services/');
    expect(JSON.parse(JSON.stringify(slack))).toEqual({ type: 'SlackIntegration', webhookUrl: '[redacted]' });
  });

  it('a metadata host is for the delivery policy to refuse: the engine refuses it unless allowPrivateMetadata', () => {
    const metadata = SlackIntegration({
      webhookUrl: 'http://169.254.169.254/services/T0001/B0002/slackTokenZq8v3XkWm1',
    });
    const error = refusal(() => createEngine({ integrations: { metadata } }));
    expect(error.issues).toMatchObject([
      { code: 'invalid_value', path: ['integrations', 'metadata', 'webhookUrl'], value: '[redacted]' },
    ]);
    expect(shown(error.issues) + error.message).not.toContain('slackTokenZq8v3XkWm1');
    expect(() =>
      createEngine({ integrations: { metadata }, delivery: { allowPrivateMetadata: true } }),
    ).not.toThrow();
  });

  it('refuses a bad URL, naming the field, never echoing the URL', () => {
    const bad = 'http://user:pw@hooks.slack.com/services/T0001/B0002/slackTokenZq8v3XkWm1';
    const error = refusal(() => SlackIntegration({ webhookUrl: bad }));
    expect(error.issues).toMatchObject([
      { code: 'invalid_value', path: ['webhookUrl'], value: '[redacted]' },
    ]);
    expect(shown(error.issues) + error.message).not.toContain('slackTokenZq8v3XkWm1');
    expect(refusal(() => SlackIntegration({ webhookUrl: 'nope' })).issues[0]).toMatchObject({
      code: 'invalid_format',
      path: ['webhookUrl'],
      value: '[redacted]',
    });
    const extra = { webhookUrl: URL_SECRET, channel: '#ml' } as { webhookUrl: string };
    const unknown = refusal(() => SlackIntegration(extra));
    // An unknown key's issue names the key; the values beside it are never shown.
    expect(unknown.issues).toMatchObject([{ code: 'unrecognized_keys', value: 'channel' }]);
    expect(shown(unknown.issues) + unknown.message).not.toContain('slackTokenZq8v3XkWm1');
  });
});

describe('secrets by reference: { env: NAME }', () => {
  const VARS = {
    MLA_TEST_SLACK_URL: 'https://hooks.slack.com/services/T1/B1/envTokenQ7w2',
    MLA_TEST_HOOK_SECRET: SECRET,
    MLA_TEST_TOKEN: TOKEN,
    MLA_TEST_API_KEY: API_KEY,
  };
  beforeEach(() => {
    Object.assign(process.env, VARS);
  });
  afterEach(() => {
    for (const name of Object.keys(VARS)) delete process.env[name];
  });

  it('reads the variable when the integration is made; JSON shows the reference, and reads back', () => {
    const slack = SlackIntegration({ webhookUrl: { env: 'MLA_TEST_SLACK_URL' } });
    expect(slack.webhookUrl).toBe(VARS.MLA_TEST_SLACK_URL);
    const json: unknown = JSON.parse(JSON.stringify(slack));
    expect(json).toEqual({ type: 'SlackIntegration', webhookUrl: { env: 'MLA_TEST_SLACK_URL' } });
    expect(inspect(slack)).toContain('MLA_TEST_SLACK_URL');
    expect({ ...SlackIntegration(json as Parameters<typeof SlackIntegration>[0]) }).toEqual({ ...slack });

    const hook = WebhookIntegration({
      url: 'http://127.0.0.1:9000/hook',
      secret: { env: 'MLA_TEST_HOOK_SECRET' },
      accessToken: { env: 'MLA_TEST_TOKEN' },
      secrets: { API_KEY: { env: 'MLA_TEST_API_KEY' }, OTHER: 'literal-0123' },
    });
    expect([hook.secret, hook.accessToken, hook.secrets]).toEqual([
      SECRET,
      TOKEN,
      { API_KEY, OTHER: 'literal-0123' },
    ]);
    const hookJson: unknown = JSON.parse(JSON.stringify(hook));
    expect(hookJson).toEqual({
      type: 'WebhookIntegration',
      url: 'http://127.0.0.1:9000/hook',
      secret: { env: 'MLA_TEST_HOOK_SECRET' },
      accessToken: { env: 'MLA_TEST_TOKEN' },
      secrets: { API_KEY: { env: 'MLA_TEST_API_KEY' }, OTHER: '[redacted]' },
    });
    expect(shown(hook)).not.toContain('literal-0123');
  });

  it('a variable not set is a DefinitionError naming the field and the variable, never a value', () => {
    delete process.env['MLA_TEST_TOKEN'];
    const error = refusal(() =>
      WebhookIntegration({
        url: 'http://127.0.0.1:9000/hook',
        secret: { env: 'MLA_TEST_HOOK_SECRET' },
        accessToken: { env: 'MLA_TEST_TOKEN' },
        secrets: { KEY: { env: 'MLA_TEST_NOT_SET' } },
      }),
    );
    expect(error.issues).toEqual([
      {
        code: 'invalid_value',
        path: ['accessToken'],
        message: 'the environment variable MLA_TEST_TOKEN is not set',
        value: { env: 'MLA_TEST_TOKEN' },
      },
      {
        code: 'invalid_value',
        path: ['secrets', 'KEY'],
        message: 'the environment variable MLA_TEST_NOT_SET is not set',
        value: { env: 'MLA_TEST_NOT_SET' },
      },
    ]);
    expect(error.message).toContain('MLA_TEST_TOKEN');
    expect(shown(error) + shown(error.issues)).not.toContain(SECRET);
  });

  it('a variable that holds a bad value is refused by its reference, not its value', () => {
    process.env['MLA_TEST_HOOK_SECRET'] = 'not-a-whsec-secret-0123456789';
    const error = refusal(() =>
      WebhookIntegration({ url: 'http://127.0.0.1:9000/hook', secret: { env: 'MLA_TEST_HOOK_SECRET' } }),
    );
    expect(error.issues).toMatchObject([
      { code: 'invalid_format', path: ['secret'], value: { env: 'MLA_TEST_HOOK_SECRET' } },
    ]);
    expect(shown(error.issues) + error.message).not.toContain('not-a-whsec');
  });

  it.each([
    ['a bad variable name', { env: '1X' }, { env: '1X' }],
    ['a reference with more keys', { env: 'MLA_TEST_TOKEN', value: 'x' }, '[redacted]'],
    ['an object that is no reference', { value: 'tok-secret' }, '[redacted]'],
  ])('refuses %s', (_name, accessToken, value) => {
    const input = { url: 'http://127.0.0.1:9000/hook', accessToken } as unknown as Parameters<
      typeof WebhookIntegration
    >[0];
    expect(refusal(() => WebhookIntegration(input)).issues).toMatchObject([
      { code: 'invalid_type', path: ['accessToken'], value },
    ]);
  });

  it('refuses the [redacted] placeholder of a printed integration, rather than send it as a token', () => {
    const printed = JSON.parse(
      JSON.stringify(WebhookIntegration({ url: 'https://e.com/', accessToken: TOKEN })),
    );
    expect(refusal(() => WebhookIntegration(printed)).issues).toMatchObject([
      { code: 'invalid_value', path: ['accessToken'], value: '[redacted]' },
    ]);
    const slack = JSON.parse(JSON.stringify(SlackIntegration({ webhookUrl: 'https://hooks.slack.com/x/y' })));
    expect(refusal(() => SlackIntegration(slack)).issues[0]?.message).toMatch(/redacted placeholder/);
  });
});

describe('WebhookIntegration', () => {
  const full = {
    url: 'http://127.0.0.1:9000/hook',
    secret: SECRET,
    accessToken: TOKEN,
    headers: { 'X-Team': 'vision', 'X-Api-Key': '${API_KEY}' },
    secrets: { API_KEY },
  };

  it('keeps every field, header names lower-cased; frozen all the way down', () => {
    const hook = WebhookIntegration(full);
    expect({ ...hook }).toEqual({
      type: 'WebhookIntegration',
      url: 'http://127.0.0.1:9000/hook',
      secret: SECRET,
      accessToken: TOKEN,
      headers: { 'x-team': 'vision', 'x-api-key': '${API_KEY}' },
      secrets: { API_KEY },
    });
    expect(Object.isFrozen(hook) && Object.isFrozen(hook.headers) && Object.isFrozen(hook.secrets)).toBe(
      true,
    );
    expect(WebhookIntegration({ url: 'https://example.com/' })).toEqual({
      type: 'WebhookIntegration',
      url: 'https://example.com/',
    });
    expect(isHttpIntegration(hook)).toBe(true);
    expect(isHttpIntegration({ type: 'WebhookIntegration' })).toBe(false);
    expect(isHttpIntegration({ deliver() {} })).toBe(false);
  });

  it('JSON.stringify, util.inspect and String() never show a secret', () => {
    const hook = WebhookIntegration(full);
    const text = shown(hook) + shown({ nested: [hook] });
    for (const secret of [SECRET, TOKEN, API_KEY]) expect(text).not.toContain(secret);
    expect(JSON.parse(JSON.stringify(hook))).toEqual({
      type: 'WebhookIntegration',
      url: 'http://127.0.0.1:9000/hook',
      secret: '[redacted]',
      accessToken: '[redacted]',
      headers: { 'x-team': 'vision', 'x-api-key': '${API_KEY}' },
      secrets: { API_KEY: '[redacted]' },
    });
    expect(inspect(hook)).toContain('[redacted]');
    expect(Object.keys(hook)).not.toContain('toJSON');
  });

  it.each([
    ['secret without the prefix', { secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0' }, ['secret']],
    ['secret not base64', { secret: 'whsec_not*base64*at*all*here!!' }, ['secret']],
    ['secret too short', { secret: `whsec_${Buffer.from('short-key').toString('base64')}` }, ['secret']],
    ['secret of the wrong type', { secret: 12345 }, ['secret']],
    ['token with a line break', { accessToken: `${TOKEN}\r\nx-evil: 1` }, ['accessToken']],
    ['token with a space', { accessToken: `Bearer ${TOKEN}` }, ['accessToken']],
    ['secret name with a dot', { secrets: { 'a.b': API_KEY } }, ['secrets', 'a.b']],
    ['secret name __proto__-like', { secrets: { _proto_: API_KEY } }, ['secrets', '_proto_']],
    ['secret named like a variable', { secrets: { run_id: API_KEY } }, ['secrets', 'run_id']],
    ['secret value not a string', { secrets: { API_KEY: 42 } }, ['secrets', 'API_KEY']],
    ['secrets not a record', { secrets: API_KEY }, ['secrets']],
    ['an unknown key', { secert: SECRET, accessToken: TOKEN, secrets: { API_KEY } }, []],
  ])('refuses %s, without showing any secret', (_name, bad, path) => {
    const input = { url: 'http://127.0.0.1:9000/hook', ...bad } as unknown as Parameters<
      typeof WebhookIntegration
    >[0];
    const error = refusal(() => WebhookIntegration(input));
    expect(error.issues.map((i) => i.path)).toContainEqual(path);
    const text = shown(error) + shown(error.issues) + error.message + (error.stack ?? '');
    for (const secret of [SECRET, TOKEN, API_KEY, 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0', 'not*base64']) {
      expect(text).not.toContain(secret);
    }
  });

  it('an unknown key is named, and nothing under it or beside it is shown', () => {
    const error = refusal(() =>
      WebhookIntegration({ ...full, extra: SECRET } as unknown as Parameters<typeof WebhookIntegration>[0]),
    );
    expect(error.issues).toMatchObject([{ code: 'unrecognized_keys', path: [], value: 'extra' }]);
    const text = shown(error) + shown(error.issues) + error.message;
    for (const secret of [SECRET, TOKEN, API_KEY]) expect(text).not.toContain(secret);
  });

  it.each([
    ['Content-Type', 'text/plain'],
    ['authorization', 'Basic abc'],
    ['Webhook-Signature', 'v1,x'],
    ['Transfer-Encoding', 'chunked'],
    ['Host', 'evil.example'],
    ['Connection', 'close'],
    ['bad name', 'x'],
    ['X-Ok', 'line\r\nbreak'],
    ['X-Ok', '${BROKEN}'],
  ])('refuses header %s: %s', (name, value) => {
    const error = refusal(() =>
      WebhookIntegration({
        url: 'http://127.0.0.1:9000/hook',
        headers: { [name]: value },
        secrets: { BROKEN: 'a\nb' },
      }),
    );
    expect(error.issues[0]?.path).toEqual(['headers', name]);
  });

  it('refuses the same header twice in another case', () => {
    const error = refusal(() =>
      WebhookIntegration({ url: 'http://127.0.0.1:9000/hook', headers: { 'X-A': '1', 'x-a': '2' } }),
    );
    expect(error.issues).toMatchObject([{ code: 'invalid_value', path: ['headers', 'x-a'] }]);
  });

  it('a URL with credentials is refused without echoing them', () => {
    const error = refusal(() => WebhookIntegration({ url: 'https://bot:hunter2-pass@example.com/hook' }));
    expect(error.issues[0]?.path).toEqual(['url']);
    expect(shown(error.issues) + error.message).not.toContain('hunter2-pass');
  });
});

describe('inputs of the wrong shape', () => {
  it('a whole input that is not an object is not echoed (it might be the secret itself)', () => {
    const error = refusal(() =>
      WebhookIntegration(SECRET as unknown as Parameters<typeof WebhookIntegration>[0]),
    );
    expect(error.issues[0]?.path).toEqual([]);
    expect(shown(error.issues) + error.message).not.toContain(SECRET);
  });
});
