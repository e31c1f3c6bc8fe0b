import type { Destination } from '../destination.js';
import { httpSender } from './http-sender.js';
import type { WebhookIntegration } from './integrations.js';
import { checkUrl } from './url-policy.js';
import { WEBHOOK_SECRET_PREFIX } from './webhook-secret.js';

function isWebhookIntegration(value: unknown): value is WebhookIntegration {
  const v = value as { type?: unknown; url?: unknown } | null;
  return typeof v === 'object' && v !== null && v.type === 'WebhookIntegration' && typeof v.url === 'string';
}

/** JSON webhooks, signed per Standard Webhooks (or W&B); §8's reading of answers. */
export const webhookDestination: Destination<WebhookIntegration> = {
  type: 'WebhookIntegration',
  actions: ['SendNotification', 'SendWebhook'],
  is: isWebhookIntegration,
  secrets: (w) => [
    // The key bytes after `whsec_` are the secret too.
    ...(w.secret !== undefined ? [w.secret, w.secret.slice(WEBHOOK_SECRET_PREFIX.length)] : []),
    ...(w.accessToken !== undefined ? [w.accessToken] : []),
    ...Object.values(w.secrets ?? {}),
  ],
  check: (w, policy, path) => checkUrl(w.url, policy, [...path, 'url']),
  sender: (w, { transport }) => httpSender(w, transport),
};
