import { createHmac } from 'node:crypto';

/** The header W&B's webhooks carry, so receivers written for W&B verify ours unchanged. */
export const WANDB_SIGNATURE = 'x-wandb-signature';

/**
 * W&B's webhook signature: base64 of HMAC-SHA256 over the exact body bytes, keyed by the secret's text as
 * configured (W&B's docs compute it with `openssl dgst -sha256 -hmac "$SECRET" -binary | base64`).
 */
export function signWandb(secret: string, body: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(body, 'utf8').digest('base64');
}
