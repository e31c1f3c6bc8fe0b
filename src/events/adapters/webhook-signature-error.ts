import { isErrorNamed, textOf } from '../../errors/safe-read.js';

/** Why a signed webhook was refused. */
export type WebhookSignatureFailure =
  | 'missing_header'
  | 'malformed_header'
  | 'signature_mismatch'
  | 'stale_timestamp';

/** A webhook's signature or timestamp did not verify: the delivery is not to be trusted (answer HTTP 401). */
export class WebhookSignatureError extends Error {
  override readonly name = 'WebhookSignatureError' as const;
  readonly reason: WebhookSignatureFailure;
  /** The header at fault, e.g. `X-MLflow-Signature`. */
  readonly header: string;
  /** Its value as received (absent when the header was missing). */
  readonly value: string | undefined;

  constructor(reason: WebhookSignatureFailure, header: string, value: string | undefined, detail: string) {
    super(
      `Webhook refused (${textOf(reason)}): ${textOf(header)}${typeof value === 'string' ? ` = ${JSON.stringify(value)}` : ''}: ${textOf(detail)}`,
    );
    this.reason = reason;
    this.header = header;
    this.value = value;
  }
}

export function isWebhookSignatureError(error: unknown): error is WebhookSignatureError {
  return isErrorNamed(error, WebhookSignatureError.prototype, 'WebhookSignatureError');
}
