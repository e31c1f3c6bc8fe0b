import { z } from 'zod';
import {
  type Digest,
  type DispatchGitHubWorkflow,
  digestSchema,
  dispatchGitHubWorkflowSchema,
  type SendEmail,
  type SendPagerDuty,
  type SendTeamsMessage,
  sendEmailSchema,
  sendPagerDutySchema,
  sendTeamsMessageSchema,
} from './destination-actions.js';
import { type JsonValue, jsonValueSchema } from './json-value.js';
import { labelSchema } from './names.js';
import { type Severity, severitySchema } from './severity.js';
import { optional, strictObject } from './strict.js';
import { tagged } from './tagged.js';

export type { Severity };

/** A Slack-style notification through the named integration. */
export type SendNotification = {
  readonly type: 'SendNotification';
  readonly integration: string;
  readonly title: string;
  readonly message: string;
  readonly severity: Severity;
  /** Combine the firings of a window into one message (SEMANTICS §8). */
  readonly digest?: Digest;
};

/** A JSON POST through the named integration; string values of `payload` may hold `${variable}` templates. */
export type SendWebhook = {
  readonly type: 'SendWebhook';
  readonly integration: string;
  readonly payload?: { readonly [key: string]: JsonValue };
};

/** Records the firing and delivers nothing: for trying an automation out. */
export type DoNothing = { readonly type: 'DoNothing' };

export type ActionDefinition =
  | SendNotification
  | SendWebhook
  | SendEmail
  | SendPagerDuty
  | DispatchGitHubWorkflow
  | SendTeamsMessage
  | DoNothing;

export type { Digest, DispatchGitHubWorkflow, JsonValue, SendEmail, SendPagerDuty, SendTeamsMessage };

const jsonValue = jsonValueSchema;

const notificationText = optional(z.string().max(3000));

export const sendNotificationSchema = strictObject('SendNotification', {
  type: z.literal('SendNotification').optional(),
  integration: labelSchema,
  title: notificationText,
  message: notificationText,
  text: notificationText,
  severity: optional(severitySchema),
  level: optional(severitySchema),
  digest: optional(digestSchema),
}).transform(
  (a): SendNotification => ({
    type: 'SendNotification',
    integration: a.integration,
    title: a.title ?? '',
    message: a.message ?? a.text ?? '',
    severity: a.severity ?? a.level ?? 'INFO',
    ...(a.digest !== undefined && { digest: a.digest }),
  }),
);

export const sendWebhookSchema = strictObject('SendWebhook', {
  type: z.literal('SendWebhook').optional(),
  integration: labelSchema,
  payload: optional(z.record(z.string(), jsonValue)),
}).transform(
  (a): SendWebhook => ({
    type: 'SendWebhook',
    integration: a.integration,
    ...(a.payload !== undefined && { payload: a.payload }),
  }),
);

export const doNothingSchema = strictObject('DoNothing', {
  type: z.literal('DoNothing').optional(),
}).transform((): DoNothing => ({ type: 'DoNothing' }));

export const actionSchema = tagged<ActionDefinition>({
  SendNotification: sendNotificationSchema,
  SendWebhook: sendWebhookSchema,
  SendEmail: sendEmailSchema,
  SendPagerDuty: sendPagerDutySchema,
  DispatchGitHubWorkflow: dispatchGitHubWorkflowSchema,
  SendTeamsMessage: sendTeamsMessageSchema,
  DoNothing: doNothingSchema,
});

/** The integration an action delivers through, if any. */
export function integrationOf(action: ActionDefinition): string | undefined {
  return action.type === 'DoNothing' ? undefined : action.integration;
}

/** The digest window an action asks for, if any. */
export function digestOf(action: ActionDefinition): Digest | undefined {
  return 'digest' in action ? action.digest : undefined;
}
