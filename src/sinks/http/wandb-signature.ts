import { createHmac } from 'node:crypto';
import { DefinitionError } from '../../errors/definition-error.js';
import { issue } from '../../errors/issue.js';

/** The header W&B's webhooks carry, so receivers written for W&B verify ours unchanged. */
export const WANDB_SIGNATURE = 'x-wandb-signature';

/**
 * W&B's webhook signature: base64 of HMAC-SHA256 over the exact body bytes, keyed by the secret's text as
 * configured (W&B's docs compute it with `openssl dgst -sha256 -hmac "$SECRET" -binary | base64`).
 */
export function signWandb(secret: string, body: string): string {
  for (const [name, value] of [
    ['secret', secret],
    ['body', body],
  ] as const) {
    // Never the value: the secret's text must not reach an issue.
    if (typeof value !== 'string')
      throw new DefinitionError([issue('invalid_type', [name], 'expected text', typeof value)], 'signWandb');
  }
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(body, 'utf8').digest('base64');
}
