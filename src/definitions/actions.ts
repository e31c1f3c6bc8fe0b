import {
  type DoNothing as DoNothingAction,
  doNothingSchema,
  type JsonValue,
  type SendNotification as Notification,
  type Severity,
  sendNotificationSchema,
  sendWebhookSchema,
  type SendWebhook as Webhook,
} from '../schema/actions.js';
import type { AnyCase } from '../schema/caseless.js';
import type { Digest } from '../schema/destination-actions.js';
import { parseDefinition } from './parse.js';

type NotificationInput = {
  readonly integration: string;
  readonly title?: string;
  readonly message?: string;
  /** Alias of `message` (the W&B SDK's name). */
  readonly text?: string;
  /** `INFO`, `WARN` or `ERROR`, in any case. */
  readonly severity?: AnyCase<Severity>;
  /** Alias of `severity`. */
  readonly level?: AnyCase<Severity>;
  /** One message per window listing its firings (at most 100, then a count). */
  readonly digest?: Digest;
};

/** A Slack-style notification through the named integration. */
export function SendNotification(input: NotificationInput): Notification {
  return parseDefinition(sendNotificationSchema, input, 'SendNotification');
}

/** A JSON POST through the named integration; `${variable}` templates in the payload's string values. */
export function SendWebhook(input: {
  readonly integration: string;
  readonly payload?: { readonly [key: string]: JsonValue };
}): Webhook {
  return parseDefinition(sendWebhookSchema, input, 'SendWebhook');
}

/** Records the firing, delivers nothing. */
export function DoNothing(): DoNothingAction {
  return parseDefinition(doNothingSchema, {}, 'DoNothing');
}

export type SendNotification = Notification;
export type SendWebhook = Webhook;
export type DoNothing = DoNothingAction;
