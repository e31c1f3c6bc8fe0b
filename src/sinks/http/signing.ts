import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { systemClock } from '../../clock/system-clock.js';
import { isInstance } from '../../definitions/is-instance.js';
import { parseInput } from '../../definitions/parse.js';
import { DefinitionError } from '../../errors/definition-error.js';
import { issue } from '../../errors/issue.js';
import { WebhookVerificationError } from '../../errors/webhook-verification-error.js';
import { webhookKey } from './webhook-secret.js';

export const WEBHOOK_ID = 'webhook-id';
export const WEBHOOK_TIMESTAMP = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE = 'webhook-signature';

/** Request headers as Node's `IncomingHttpHeaders`, a plain record, or a Fetch `Headers`. */
export type WebhookHeaders = Headers | { readonly [name: string]: string | readonly string[] | undefined };

export type VerifyWebhookOptions = {
  /** How far (either way) the timestamp may be from now, in seconds. @default 300 */
  readonly toleranceSec?: number;
  /** Now, in Unix seconds. @default systemClock.now() / 1000 */
  readonly nowSec?: number;
};

const optionsSchema = z
  .object({ toleranceSec: z.number().min(0).optional(), nowSec: z.number().optional() })
  .strict();
const headerRecord = z.record(z.string(), z.union([z.string(), z.array(z.string()), z.undefined()]));

/** A Fetch `Headers` (read by its own get()), or a record checked as plain data first: no getter runs. */
function checkedHeaders(headers: unknown): WebhookHeaders {
  if (isInstance(headers, Headers)) return headers as Headers;
  return parseInput(headerRecord, headers, 'webhook headers', ['headers']);
}

/** One v1 signature: 32 HMAC-SHA256 bytes in padded standard base64. */
const V1 = /^v1,([A-Za-z0-9+/]{43}=)$/;
const TIMESTAMP = /^\d{1,15}$/;

function digest(key: Buffer, id: string, timestampSec: number | string, body: string): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestampSec}.${body}`, 'utf8').digest();
}

/**
 * The `webhook-signature` value for one delivery: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed by
 * the base64-decoded bytes after `whsec_`. `body` must be the exact bytes sent.
 */
export function signWebhook(secret: string, id: string, timestampSec: number, body: string): string {
  if (!Number.isSafeInteger(timestampSec) || timestampSec < 0) {
    throw new DefinitionError(
      [issue('invalid_value', ['timestampSec'], 'expected whole Unix seconds', timestampSec)],
      'signWebhook',
    );
  }
  for (const [name, value] of [
    ['id', id],
    ['body', body],
  ] as const) {
    if (typeof value !== 'string')
      throw new DefinitionError(
        [issue('invalid_type', [name], 'expected text', typeof value)],
        'signWebhook',
      );
  }
  return `v1,${digest(webhookKey(secret, 'signWebhook'), id, timestampSec, body).toString('base64')}`;
}

/** A header by lower-case name; repeated values are joined with a space (how signature lists are written). */
function header(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === 'string') values.push(value);
    // One by one: spreading 200,000 values into push() would overflow the stack.
    else if (Array.isArray(value)) for (const v of value as readonly string[]) values.push(v);
  }
  const joined = values.join(' ').trim();
  return joined === '' ? undefined : joined;
}

function required(headers: WebhookHeaders, name: string): string {
  const value = header(headers, name)?.trim();
  if (value === undefined || value === '')
    throw new WebhookVerificationError('missing_header', name, 'absent');
  return value;
}

/**
 * Verify a Standard Webhooks delivery; returns normally when it is authentic and fresh, else throws a
 * WebhookVerificationError. Any of several space-separated signatures may match (key rotation); entries of
 * other schemes (`v1a,…`) are skipped. The signature is checked before the timestamp, so `stale_timestamp`
 * is only ever said of an authentic delivery.
 */
export function verifyWebhook(
  secret: string,
  given: WebhookHeaders,
  body: string,
  givenOptions: VerifyWebhookOptions = {},
): void {
  const options = parseInput(optionsSchema, givenOptions, 'verifyWebhook options') as VerifyWebhookOptions;
  const toleranceSec = options.toleranceSec ?? 300;
  if (!Number.isFinite(toleranceSec) || toleranceSec < 0) {
    throw new DefinitionError(
      [issue('invalid_value', ['toleranceSec'], 'expected a finite number ≥ 0', toleranceSec)],
      'verifyWebhook',
    );
  }
  const key = webhookKey(secret, 'verifyWebhook');
  if (typeof body !== 'string')
    throw new DefinitionError(
      [issue('invalid_type', ['body'], 'expected the body as text', typeof body)],
      'verifyWebhook',
    );
  const headers = checkedHeaders(given);
  const id = required(headers, WEBHOOK_ID);
  const timestamp = required(headers, WEBHOOK_TIMESTAMP);
  const signature = required(headers, WEBHOOK_SIGNATURE);
  if (!TIMESTAMP.test(timestamp)) {
    throw new WebhookVerificationError('invalid_timestamp', WEBHOOK_TIMESTAMP, 'expected Unix seconds');
  }
  const expected = digest(key, id, timestamp, body);
  // Fetch `Headers` joins repeated headers with ", ": a trailing comma is never part of base64.
  const candidates = signature
    .split(' ')
    .map((entry) => entry.replace(/,$/, ''))
    .flatMap((entry) => {
      const b64 = V1.exec(entry)?.[1];
      return b64 === undefined ? [] : [Buffer.from(b64, 'base64')];
    });
  // Every candidate is compared in constant time, so timing says nothing about which bytes matched.
  const matched = candidates.reduce((ok, candidate) => timingSafeEqual(candidate, expected) || ok, false);
  if (!matched)
    throw new WebhookVerificationError('signature_mismatch', WEBHOOK_SIGNATURE, 'no v1 signature matches');
  const nowSec = options.nowSec ?? systemClock.now() / 1000;
  const ageSec = nowSec - Number(timestamp);
  if (Math.abs(ageSec) > toleranceSec) {
    throw new WebhookVerificationError(
      'stale_timestamp',
      WEBHOOK_TIMESTAMP,
      `${Math.round(ageSec)} s from now, tolerance ${toleranceSec} s`,
    );
  }
}
