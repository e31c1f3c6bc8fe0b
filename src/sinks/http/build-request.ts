import type { Firing } from '../../core/firing.js';
import type { JsonValue, SendNotification, SendWebhook } from '../../schema/actions.js';
import { defaultPayload } from './default-payload.js';
import type { HttpRequest } from './http-request.js';
import type { HttpIntegration, SlackIntegration, WebhookIntegration } from './integrations.js';
import { signWebhook, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP } from './signing.js';
import { renderSlackMessage } from './slack.js';
import { renderSlackDigest } from './slack-digest.js';
import { escapeMrkdwn } from './slack-limits.js';
import { renderPayload, renderTemplate, templateVariables } from './templates.js';
import { signWandb, WANDB_SIGNATURE } from './wandb-signature.js';

const JSON_CONTENT = 'application/json';

/** A notification's Slack message: one firing's, or a digest listing a window's firings. */
function renderNotification(firing: Firing, action: SendNotification): JsonValue {
  return firing.digest === undefined ? renderSlackMessage(firing, action) : renderSlackDigest(firing, action);
}

/** What a SendWebhook posts: its payload with templates filled, or the default payload (never templated). */
function webhookBody(
  firing: Firing,
  action: SendWebhook,
  variables: Record<string, string>,
  secrets: Record<string, string>,
): JsonValue {
  // The default payload is event data: filling templates in it would let an event's text pull in a secret.
  return action.payload === undefined
    ? defaultPayload(firing)
    : renderPayload(action.payload, variables, secrets);
}

/**
 * Slack: a SendNotification posts the Block Kit message. A SendWebhook posts its own payload as the body,
 * templates filled with mrkdwn-escaped values (the author owns the Slack shape, e.g. `{ text, blocks }`);
 * without a payload it posts the notification message titled with the automation's name.
 */
function slackBody(firing: Firing, action: SendNotification | SendWebhook): JsonValue {
  if (action.type === 'SendNotification') return renderNotification(firing, action);
  if (action.payload === undefined) {
    const notification: SendNotification = {
      type: 'SendNotification',
      integration: action.integration,
      title: '',
      message: '',
      severity: 'INFO',
    };
    return renderSlackMessage(firing, notification);
  }
  const escaped = Object.fromEntries(
    Object.entries(templateVariables(firing)).map(([k, v]) => [k, escapeMrkdwn(v)]),
  );
  return renderPayload(action.payload, escaped);
}

function slackRequest(
  firing: Firing,
  action: SendNotification | SendWebhook,
  slack: SlackIntegration,
): HttpRequest {
  return {
    url: slack.webhookUrl,
    method: 'POST',
    headers: { 'content-type': JSON_CONTENT },
    body: JSON.stringify(slackBody(firing, action)),
  };
}

function webhookRequest(
  firing: Firing,
  action: SendNotification | SendWebhook,
  hook: WebhookIntegration,
  nowMs: number,
): HttpRequest {
  const secrets = hook.secrets ?? {};
  // A notification to a plain webhook posts the Slack-shaped message, so generic chat webhooks work too.
  // ${ACCESS_TOKEN} (as W&B's payloads allow) only here: a webhook's own payload, sent to that webhook alone.
  const payload =
    action.type === 'SendNotification'
      ? renderNotification(firing, action)
      : webhookBody(
          firing,
          action,
          { ...templateVariables(firing), ACCESS_TOKEN: hook.accessToken ?? '' },
          secrets,
        );
  const body = JSON.stringify(payload);
  const extra = Object.entries(hook.headers ?? {}).map(([name, value]) => [
    name,
    renderTemplate(value, {}, secrets),
  ]);
  const timestampSec = Math.floor(nowMs / 1000);
  // fromEntries defines own properties, so no header name can reach a prototype; ours come last and win.
  const headers: Record<string, string> = Object.fromEntries([
    ...extra,
    ['content-type', JSON_CONTENT],
    ...(hook.accessToken === undefined ? [] : [['authorization', `Bearer ${hook.accessToken}`]]),
    ...(hook.secret === undefined
      ? []
      : hook.signing === 'wandb'
        ? [
            [WEBHOOK_ID, firing.id],
            [WANDB_SIGNATURE, signWandb(hook.secret, body)],
          ]
        : [
            [WEBHOOK_ID, firing.id],
            [WEBHOOK_TIMESTAMP, String(timestampSec)],
            [WEBHOOK_SIGNATURE, signWebhook(hook.secret, firing.id, timestampSec, body)],
          ]),
  ]);
  return { url: hook.url, method: 'POST', headers, body };
}

/**
 * The HTTP request that delivers one firing through one integration, at `nowMs` (the attempt's time: it goes
 * into `webhook-timestamp`, so each retry is signed afresh while `webhook-id` stays the firing's id). Pure:
 * no I/O, no clock. A DoNothing action delivers nothing and is refused with a TypeError.
 */
export function buildRequest(firing: Firing, integration: HttpIntegration, nowMs: number): HttpRequest {
  const action = firing.action;
  if (action.type !== 'SendNotification' && action.type !== 'SendWebhook')
    throw new TypeError(`A ${action.type} action has no ${integration.type} request to build`);
  return integration.type === 'SlackIntegration'
    ? slackRequest(firing, action, integration)
    : webhookRequest(firing, action, integration, nowMs);
}
