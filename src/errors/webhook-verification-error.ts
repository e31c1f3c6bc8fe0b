import { isErrorNamed, textOf } from './safe-read.js';

/** Why a Standard Webhooks delivery was refused. */
export type WebhookVerificationFailure =
  | 'missing_header'
  | 'invalid_timestamp'
  | 'stale_timestamp'
  | 'signature_mismatch';

/** A delivery signed per Standard Webhooks did not verify: do not trust it (answer HTTP 401). */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError' as const;
  readonly reason: WebhookVerificationFailure;
  /** The header at fault, lower-case (`webhook-signature`, `webhook-timestamp`, `webhook-id`). */
  readonly header: string;

  constructor(reason: WebhookVerificationFailure, header: string, detail: string) {
    super(`Webhook refused (${textOf(reason)}): ${textOf(header)}: ${textOf(detail)}`);
    this.reason = reason;
    this.header = header;
  }
}

export function isWebhookVerificationError(error: unknown): error is WebhookVerificationError {
  return isErrorNamed(error, WebhookVerificationError.prototype, 'WebhookVerificationError');
}
