import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isDefinitionError } from '../../../src/errors/definition-error.js';
import {
  isWebhookVerificationError,
  type WebhookVerificationError,
  type WebhookVerificationFailure,
} from '../../../src/errors/webhook-verification-error.js';
import { signWebhook, verifyWebhook, type WebhookHeaders } from '../../../src/sinks/http/signing.js';
import { SECRET } from './firings.js';

// Destructured: tsc wants ['FC_RUNS'] (an index signature), Biome wants .FC_RUNS.
const { FC_RUNS: runs } = process.env;
const FC_RUNS = Number(runs ?? 200);
const NOW_S = 1_767_225_600; // 2026-01-01T00:00:00Z
const ID = 'fir_0123456789abcdef0123456789abcdef';
const BODY = '{"automation":"accuracy-alert","value":0.97,"quote":"\\"é\\""}';

function signed(body = BODY, ts = NOW_S, id = ID, secret = SECRET): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': signWebhook(secret, id, ts, body),
  };
}

function refusal(f: () => unknown): WebhookVerificationError {
  try {
    f();
  } catch (error) {
    if (isWebhookVerificationError(error)) return error;
    throw error;
  }
  throw new Error('expected a WebhookVerificationError');
}

const reason = (f: () => unknown): WebhookVerificationFailure => refusal(f).reason;

describe('signWebhook', () => {
  it('matches the Standard Webhooks known-answer vector', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('refuses a secret that is not whsec_<base64>, without repeating it', () => {
    for (const bad of ['plain-secret-value-123', 'whsec_not base64!!', 'whsec_c2hvcnQ=']) {
      let caught: unknown;
      try {
        signWebhook(bad, ID, NOW_S, BODY);
      } catch (error) {
        caught = error;
      }
      expect(isDefinitionError(caught)).toBe(true);
      expect(String((caught as Error).message)).not.toContain(bad);
      expect(JSON.stringify((caught as { issues: unknown }).issues)).not.toContain(bad);
    }
  });
});

describe('signWebhook, verified by the independent standardwebhooks package', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW_S * 1000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a signed delivery verifies with Webhook(secret).verify(body, headers)', () => {
    expect(new Webhook(SECRET).verify(BODY, signed())).toEqual(JSON.parse(BODY));
  });

  it('any key of 24 to 64 bytes, any id without a dot, any body: the package and we agree', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 24, maxLength: 64 }),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.integer({ min: NOW_S - 300, max: NOW_S + 300 }),
        (key, id, body, ts) => {
          const secret = `whsec_${Buffer.from(key).toString('base64')}`;
          const headers = signed(body, ts, id, secret);
          expect(headers['webhook-signature']).toBe(new Webhook(secret).sign(id, new Date(ts * 1000), body));
          new Webhook(secret).verify(body, headers, { jsonParse: false });
          verifyWebhook(secret, headers, body, { nowSec: NOW_S });
        },
      ),
      { numRuns: FC_RUNS },
    );
  });

  it('a tampered body, timestamp or id fails in the package and here', () => {
    const headers = signed();
    const tampered: [string, Record<string, string>][] = [
      [BODY.replace('0.97', '0.98'), headers],
      [`${BODY} `, headers],
      [BODY, { ...headers, 'webhook-timestamp': String(NOW_S + 1) }],
      [BODY, { ...headers, 'webhook-id': `${ID}x` }],
      [BODY, signed(BODY, NOW_S, ID, `whsec_${Buffer.alloc(32, 1).toString('base64')}`)],
    ];
    for (const [body, h] of tampered) {
      expect(() => new Webhook(SECRET).verify(body, h)).toThrow();
      expect(reason(() => verifyWebhook(SECRET, h, body, { nowSec: NOW_S }))).toBe('signature_mismatch');
    }
  });

  it('nowSec defaults to the system clock', () => {
    verifyWebhook(SECRET, signed(), BODY);
    vi.setSystemTime((NOW_S + 301) * 1000);
    expect(reason(() => verifyWebhook(SECRET, signed(), BODY))).toBe('stale_timestamp');
  });
});

describe('verifyWebhook', () => {
  const at = (nowSec: number, toleranceSec?: number) => ({
    nowSec,
    ...(toleranceSec !== undefined && { toleranceSec }),
  });

  it('tolerance: 300 s either way by default, the edge included; configurable', () => {
    verifyWebhook(SECRET, signed(), BODY, at(NOW_S + 300));
    verifyWebhook(SECRET, signed(), BODY, at(NOW_S - 300));
    expect(reason(() => verifyWebhook(SECRET, signed(), BODY, at(NOW_S + 301)))).toBe('stale_timestamp');
    expect(reason(() => verifyWebhook(SECRET, signed(), BODY, at(NOW_S - 301)))).toBe('stale_timestamp');
    verifyWebhook(SECRET, signed(), BODY, at(NOW_S + 3600, 3600));
    expect(reason(() => verifyWebhook(SECRET, signed(), BODY, at(NOW_S + 1, 0)))).toBe('stale_timestamp');
  });

  it('a missing header is missing_header, naming it', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const headers: Record<string, string | undefined> = { ...signed(), [name]: undefined };
      expect(refusal(() => verifyWebhook(SECRET, headers, BODY, at(NOW_S)))).toMatchObject({
        reason: 'missing_header',
        header: name,
      });
    }
  });

  it('a timestamp that is not Unix seconds is invalid_timestamp', () => {
    for (const ts of ['abc', '1.5', '-1', '2026-01-01T00:00:00Z']) {
      const headers = { ...signed(), 'webhook-timestamp': ts };
      expect(reason(() => verifyWebhook(SECRET, headers, BODY, at(NOW_S)))).toBe('invalid_timestamp');
    }
  });

  it('several signatures: any v1 may match; other schemes and junk are skipped', () => {
    const good = signed()['webhook-signature'] ?? '';
    const bad = signWebhook(SECRET, ID, NOW_S, 'other');
    for (const list of [`${bad} ${good}`, `${good} ${bad}`, `v1a,AAAA ${good}`, `junk  ${good}`]) {
      verifyWebhook(SECRET, { ...signed(), 'webhook-signature': list }, BODY, at(NOW_S));
    }
    for (const list of [bad, `v1a,${good.slice(3)}`, 'v1,', good.slice(3)]) {
      const headers = { ...signed(), 'webhook-signature': list };
      expect(reason(() => verifyWebhook(SECRET, headers, BODY, at(NOW_S)))).toBe('signature_mismatch');
    }
  });

  it('headers as a Fetch Headers, in any case, or with repeated values', () => {
    const h = signed();
    const good = h['webhook-signature'] ?? '';
    const bad = signWebhook(SECRET, ID, NOW_S, 'other');
    const forms: WebhookHeaders[] = [
      new Headers(h),
      Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v])),
      { ...h, 'webhook-signature': [bad, good] },
      (() => {
        const headers = new Headers(h);
        headers.set('webhook-signature', bad);
        headers.append('webhook-signature', good);
        return headers;
      })(),
    ];
    for (const headers of forms) verifyWebhook(SECRET, headers, BODY, at(NOW_S));
  });

  it('a bad tolerance or secret is a DefinitionError; the error has a name and a guard', () => {
    expect(() => verifyWebhook(SECRET, signed(), BODY, { nowSec: NOW_S, toleranceSec: -1 })).toThrow(
      /toleranceSec/,
    );
    expect(() => verifyWebhook('nope', signed(), BODY, at(NOW_S))).toThrow(/secret/);
    const error = refusal(() => verifyWebhook(SECRET, signed('x'), BODY, at(NOW_S)));
    expect(error.name).toBe('WebhookVerificationError');
    expect(error).toBeInstanceOf(Error);
    expect(isWebhookVerificationError(new Error('x'))).toBe(false);
  });
});
