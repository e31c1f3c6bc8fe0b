import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type DefinitionError, isDefinitionError } from '../../../src/errors/definition-error.js';
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
  it('a frozen plain object with a literal type', () => {
    const slack = SlackIntegration({ webhookUrl: 'http://127.0.0.1:9000/slack' });
    expect({ ...slack }).toEqual({ type: 'SlackIntegration', webhookUrl: 'http://127.0.0.1:9000/slack' });
    expect(Object.isFrozen(slack)).toBe(true);
    // The URL is a credential (Slack's token is its path): JSON shows it redacted.
    expect(JSON.parse(JSON.stringify(slack))).toEqual({ type: 'SlackIntegration', webhookUrl: '[redacted]' });
    expect(isHttpIntegration(slack)).toBe(true);
  });

  it('refuses a bad URL, naming the field and the value', () => {
    const error = refusal(() => SlackIntegration({ webhookUrl: 'http://169.254.169.254/' }));
    expect(error.issues).toMatchObject([
      { code: 'invalid_value', path: ['webhookUrl'], value: '[redacted]' },
    ]);
    expect(refusal(() => SlackIntegration({ webhookUrl: 'nope' })).issues[0]).toMatchObject({
      code: 'invalid_format',
      path: ['webhookUrl'],
    });
    const extra = { webhookUrl: 'https://hooks.slack.com/x', channel: '#ml' } as { webhookUrl: string };
    expect(refusal(() => SlackIntegration(extra)).issues[0]?.code).toBe('unrecognized_keys');
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

  it('a whole input that is refused is shown redacted', () => {
    const error = refusal(() =>
      WebhookIntegration({ ...full, extra: 1 } as unknown as Parameters<typeof WebhookIntegration>[0]),
    );
    expect(error.issues[0]).toMatchObject({ code: 'unrecognized_keys', path: [] });
    expect(error.issues[0]?.value).toMatchObject({
      secret: '[redacted]',
      secrets: { API_KEY: '[redacted]' },
    });
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
