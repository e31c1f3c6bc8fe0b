import type { RateLimit } from '../delivery/token-bucket.js';
import type { Destination } from '../destination.js';
import { httpSender } from './http-sender.js';
import type { SlackIntegration } from './integrations.js';
import { secretUrlForms } from './secret-url.js';
import { checkUrl } from './url-policy.js';

/** Slack accepts about one message per second per incoming webhook. */
const SLACK_LIMIT: RateLimit = { perSecond: 1, burst: 1 };

function isSlackIntegration(value: unknown): value is SlackIntegration {
  const v = value as { type?: unknown; webhookUrl?: unknown } | null;
  return (
    typeof v === 'object' && v !== null && v.type === 'SlackIntegration' && typeof v.webhookUrl === 'string'
  );
}

/** Slack incoming webhooks: the Block Kit message, or a webhook's own payload; §8's reading of answers. */
export const slackDestination: Destination<SlackIntegration> = {
  type: 'SlackIntegration',
  actions: ['SendNotification', 'SendWebhook'],
  is: isSlackIntegration,
  // The URL's path is the token: the URL is the credential.
  secrets: (s) => secretUrlForms(s.webhookUrl),
  check: (s, policy, path) => checkUrl(s.webhookUrl, policy, [...path, 'webhookUrl'], { secret: true }),
  // Slack's limit is per webhook, so two names for one URL share it.
  rateLimit: (s) => ({ limit: SLACK_LIMIT, key: `slack:${s.webhookUrl}` }),
  sender: (s, { transport }) => httpSender(s, transport),
};
