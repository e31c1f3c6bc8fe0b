import { describe, expect, it } from 'vitest';
import { fromMlflowWebhook } from '../../../src/events/adapters/from-mlflow-webhook.js';
import {
  isWebhookSignatureError,
  WebhookSignatureError,
} from '../../../src/events/adapters/webhook-signature-error.js';
import { VirtualClock } from '../../../src/testing/index.js';
import { mlflowBody, SECRET, SENT_S, signedHeaders, versionCreated } from './mlflow-fixtures.js';

const body = mlflowBody('model_version', 'created', versionCreated);
const at = (seconds: number) => ({ clock: new VirtualClock(seconds * 1000) });

function refusal(f: () => unknown): WebhookSignatureError {
  try {
    f();
  } catch (error) {
    expect(isWebhookSignatureError(error)).toBe(true);
    expect(error).toBeInstanceOf(WebhookSignatureError);
    return error as WebhookSignatureError;
  }
  throw new Error('expected a WebhookSignatureError');
}

describe('fromMlflowWebhook: X-MLflow-Signature (v1,<base64 HMAC-SHA256 of id.timestamp.body>)', () => {
  it('a valid signature verifies, for text and for bytes, with any header-name casing', () => {
    const headers = signedHeaders(body);
    expect(fromMlflowWebhook(body, headers, SECRET, at(SENT_S + 10))[0]?.type).toBe('artifact.created');
    expect(fromMlflowWebhook(Buffer.from(body, 'utf8'), headers, SECRET, at(SENT_S))).toHaveLength(1);
    const shouting = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(fromMlflowWebhook(body, shouting, SECRET, at(SENT_S))).toHaveLength(1);
    expect(fromMlflowWebhook(body, new Headers(headers), SECRET, at(SENT_S))).toHaveLength(1);
  });

  it('a tampered body is refused', () => {
    const tampered = body.replace('"version": "1"', '"version": "2"');
    expect(tampered).not.toBe(body);
    const error = refusal(() => fromMlflowWebhook(tampered, signedHeaders(body), SECRET, at(SENT_S)));
    expect(error).toMatchObject({ reason: 'signature_mismatch', header: 'X-MLflow-Signature' });
  });

  it('a re-serialised body (same JSON, other whitespace) is refused: the raw bytes are signed', () => {
    const compact = JSON.stringify(JSON.parse(body));
    expect(refusal(() => fromMlflowWebhook(compact, signedHeaders(body), SECRET, at(SENT_S))).reason).toBe(
      'signature_mismatch',
    );
  });

  it('a wrong secret is refused', () => {
    const headers = signedHeaders(body, 'another-secret');
    expect(refusal(() => fromMlflowWebhook(body, headers, SECRET, at(SENT_S))).reason).toBe(
      'signature_mismatch',
    );
  });

  it('a changed delivery id or timestamp breaks the signature (both are signed)', () => {
    const headers = signedHeaders(body);
    const otherId = { ...headers, 'x-mlflow-delivery-id': 'other' };
    expect(refusal(() => fromMlflowWebhook(body, otherId, SECRET, at(SENT_S))).reason).toBe(
      'signature_mismatch',
    );
    const otherTime = { ...headers, 'x-mlflow-timestamp': String(SENT_S + 1) };
    expect(refusal(() => fromMlflowWebhook(body, otherTime, SECRET, at(SENT_S))).reason).toBe(
      'signature_mismatch',
    );
  });

  it('a timestamp older than the tolerance (default 300 s) is refused; the edge is accepted', () => {
    const headers = signedHeaders(body);
    expect(fromMlflowWebhook(body, headers, SECRET, at(SENT_S + 300))).toHaveLength(1);
    const error = refusal(() => fromMlflowWebhook(body, headers, SECRET, at(SENT_S + 301)));
    expect(error).toMatchObject({
      reason: 'stale_timestamp',
      header: 'X-MLflow-Timestamp',
      value: String(SENT_S),
    });
    expect(
      fromMlflowWebhook(body, headers, SECRET, { ...at(SENT_S + 3600), toleranceSeconds: 3600 }),
    ).toHaveLength(1);
  });

  it('a timestamp too far in the future is refused as well', () => {
    const headers = signedHeaders(body);
    expect(refusal(() => fromMlflowWebhook(body, headers, SECRET, at(SENT_S - 301))).reason).toBe(
      'stale_timestamp',
    );
  });

  it('missing headers are refused, naming the header', () => {
    const { 'x-mlflow-signature': _s, ...unsigned } = signedHeaders(body);
    expect(refusal(() => fromMlflowWebhook(body, unsigned, SECRET, at(SENT_S)))).toMatchObject({
      reason: 'missing_header',
      header: 'X-MLflow-Signature',
    });
    expect(refusal(() => fromMlflowWebhook(body, undefined, SECRET, at(SENT_S))).reason).toBe(
      'missing_header',
    );
  });

  it('the older sha256=<hex> format and a non-numeric timestamp are malformed', () => {
    const legacy = { ...signedHeaders(body), 'x-mlflow-signature': `sha256=${'ab'.repeat(32)}` };
    expect(refusal(() => fromMlflowWebhook(body, legacy, SECRET, at(SENT_S))).reason).toBe(
      'malformed_header',
    );
    const iso = { ...signedHeaders(body), 'x-mlflow-timestamp': '2025-07-31T08:27:32Z' };
    expect(refusal(() => fromMlflowWebhook(body, iso, SECRET, at(SENT_S)))).toMatchObject({
      reason: 'malformed_header',
      header: 'X-MLflow-Timestamp',
    });
  });

  it('one valid signature among several (key rotation) verifies', () => {
    const headers = signedHeaders(body);
    const both = `${signedHeaders(body, 'old-secret')['x-mlflow-signature']} ${headers['x-mlflow-signature']}`;
    expect(
      fromMlflowWebhook(body, { ...headers, 'x-mlflow-signature': both }, SECRET, at(SENT_S)),
    ).toHaveLength(1);
  });

  it('with a secret, a parsed body or an empty secret is refused as bad input', () => {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    expect(() => fromMlflowWebhook(parsed, signedHeaders(body), SECRET, at(SENT_S))).toThrow(/raw body/);
    expect(() => fromMlflowWebhook(body, signedHeaders(body), '', at(SENT_S))).toThrow(/secret/);
  });
});
