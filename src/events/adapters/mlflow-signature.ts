import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookSignatureError } from './webhook-signature-error.js';

export const MLFLOW_SIGNATURE_HEADER = 'X-MLflow-Signature';
export const MLFLOW_DELIVERY_ID_HEADER = 'X-MLflow-Delivery-Id';
export const MLFLOW_TIMESTAMP_HEADER = 'X-MLflow-Timestamp';

/** 32 HMAC-SHA256 bytes in standard base64: 43 characters and one pad. */
const SIGNATURE = /^v1,([A-Za-z0-9+/]{43}=)$/;

function required(headers: ReadonlyMap<string, string>, name: string): string {
  const value = headers.get(name.toLowerCase())?.trim();
  if (value === undefined || value === '') {
    throw new WebhookSignatureError('missing_header', name, undefined, 'required when a secret is given');
  }
  return value;
}

/**
 * MLflow (mlflow/webhooks/delivery.py) signs `${delivery_id}.${timestamp}.${body}` with HMAC-SHA256 keyed by the
 * secret's UTF-8 bytes, and sends `X-MLflow-Signature: v1,<base64>`. Space-separated lists are accepted (any entry
 * may match) so a key rotation that sends two signatures still verifies. The timestamp is Unix seconds.
 */
export function verifyMlflowSignature(
  raw: Uint8Array,
  headers: ReadonlyMap<string, string>,
  secret: string,
  nowMs: number,
  toleranceSeconds: number,
): void {
  const signature = required(headers, MLFLOW_SIGNATURE_HEADER);
  const deliveryId = required(headers, MLFLOW_DELIVERY_ID_HEADER);
  const timestamp = required(headers, MLFLOW_TIMESTAMP_HEADER);
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new WebhookSignatureError(
      'malformed_header',
      MLFLOW_TIMESTAMP_HEADER,
      timestamp,
      'expected Unix seconds',
    );
  }
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${deliveryId}.${timestamp}.`, 'utf8')
    .update(raw)
    .digest();
  const candidates = signature.split(' ').filter((s) => s !== '');
  const decoded = candidates.flatMap((c) => {
    const b64 = SIGNATURE.exec(c)?.[1];
    return b64 === undefined ? [] : [Buffer.from(b64, 'base64')];
  });
  if (decoded.length === 0) {
    throw new WebhookSignatureError(
      'malformed_header',
      MLFLOW_SIGNATURE_HEADER,
      signature,
      'expected v1,<base64>',
    );
  }
  // Compare every candidate, in constant time each, so the time taken says nothing about which bytes matched.
  const matched = decoded.reduce((ok, candidate) => timingSafeEqual(candidate, expected) || ok, false);
  if (!matched) {
    throw new WebhookSignatureError(
      'signature_mismatch',
      MLFLOW_SIGNATURE_HEADER,
      signature,
      'does not match the body',
    );
  }
  // Checked after the signature, so "stale" is only ever said of an authentic delivery: a replay or a slow clock.
  const ageSeconds = nowMs / 1000 - Number(timestamp);
  if (Math.abs(ageSeconds) > toleranceSeconds) {
    throw new WebhookSignatureError(
      'stale_timestamp',
      MLFLOW_TIMESTAMP_HEADER,
      timestamp,
      `${Math.round(ageSeconds)} s from now, tolerance ${toleranceSeconds} s`,
    );
  }
}
