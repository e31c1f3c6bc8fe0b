import { z } from 'zod';
import { caselessEnum } from './caseless.js';
import { labelSchema } from './names.js';
import { optional, strictObject } from './strict.js';
import { tagged } from './tagged.js';

export type Severity = 'INFO' | 'WARN' | 'ERROR';

/** A Slack-style notification through the named integration. */
export type SendNotification = {
  readonly type: 'SendNotification';
  readonly integration: string;
  readonly title: string;
  readonly message: string;
  readonly severity: Severity;
};

/** A JSON POST through the named integration; string values of `payload` may hold `${variable}` templates. */
export type SendWebhook = {
  readonly type: 'SendWebhook';
  readonly integration: string;
  readonly payload?: { readonly [key: string]: JsonValue };
};

/** Records the firing and delivers nothing: for trying an automation out. */
export type DoNothing = { readonly type: 'DoNothing' };

export type ActionDefinition = SendNotification | SendWebhook | DoNothing;

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number(),
    z.string(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

// Any case, as W&B's SDK upper-cases it (`info`, `Warn` → INFO, WARN).
const severitySchema = caselessEnum<Severity>(
  { info: 'INFO', warn: 'WARN', error: 'ERROR' },
  'INFO, WARN or ERROR',
);
const notificationText = optional(z.string().max(3000));

export const sendNotificationSchema = strictObject('SendNotification', {
  type: z.literal('SendNotification').optional(),
  integration: labelSchema,
  title: notificationText,
  message: notificationText,
  text: notificationText,
  severity: optional(severitySchema),
  level: optional(severitySchema),
}).transform(
  (a): SendNotification => ({
    type: 'SendNotification',
    integration: a.integration,
    title: a.title ?? '',
    message: a.message ?? a.text ?? '',
    severity: a.severity ?? a.level ?? 'INFO',
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
  DoNothing: doNothingSchema,
});

/** The integration an action delivers through, if any. */
export function integrationOf(action: ActionDefinition): string | undefined {
  return action.type === 'DoNothing' ? undefined : action.integration;
}
