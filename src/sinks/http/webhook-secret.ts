import { DefinitionError } from '../../errors/definition-error.js';
import { issue } from '../../errors/issue.js';

/** What issues and `toJSON()` show in place of a secret. */
export const REDACTED = '[redacted]';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** Standard Webhooks: a symmetric key is 24 to 64 random bytes (192 to 512 bits). */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;

/** Canonical, padded standard base64 (RFC 4648 §4), as the spec serialises keys. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Why `secret` is no Standard Webhooks secret, or undefined. The message never repeats the secret. */
export function webhookSecretProblem(secret: string): string | undefined {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return `expected a Standard Webhooks secret: whsec_<base64>`;
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (encoded === '' || !BASE64.test(encoded)) return 'the part after whsec_ must be padded standard base64';
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < MIN_KEY_BYTES || bytes > MAX_KEY_BYTES) {
    return `the key must be ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes, not ${bytes}`;
  }
  return undefined;
}

/** The HMAC key bytes of a `whsec_` secret; a DefinitionError (with the value redacted) when it is none. */
export function webhookKey(secret: string, what: string): Buffer {
  const problem = typeof secret === 'string' ? webhookSecretProblem(secret) : 'expected a string';
  if (problem !== undefined)
    throw new DefinitionError([issue('invalid_format', ['secret'], problem, REDACTED)], what);
  return Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
}
