import { z } from 'zod';
import { checkData } from '../../definitions/parse.js';
import { DefinitionError } from '../../errors/definition-error.js';
import { fromZodIssues } from '../../errors/from-zod.js';
import { ownData } from '../../errors/safe-read.js';
import {
  accessTokenSchema,
  headerIssues,
  headersSchema,
  secretsSchema,
  urlSchema,
  webhookSecretSchema,
} from './integration-schemas.js';
import { redactIssue, sealIntegration } from './redaction.js';

/** Posts Slack incoming-webhook messages. Slack treats the URL itself as a secret: share it with care. */
export type SlackIntegration = { readonly type: 'SlackIntegration'; readonly webhookUrl: string };

/** Posts JSON to `url`, signed per Standard Webhooks when `secret` is set. */
export type WebhookIntegration = {
  readonly type: 'WebhookIntegration';
  readonly url: string;
  /** `whsec_<base64>`: 24 to 64 key bytes. Signs each delivery (`webhook-signature`). */
  readonly secret?: string;
  /** Sent as `authorization: Bearer <accessToken>`. */
  readonly accessToken?: string;
  /** Extra request headers, names lower-cased; values may use `${SECRET_NAME}`. Not redacted: not for secrets. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Named secrets for `${NAME}` templates in the payload and in header values. */
  readonly secrets?: Readonly<Record<string, string>>;
};

export type HttpIntegration = SlackIntegration | WebhookIntegration;

const slackSchema = z.strictObject({ type: z.literal('SlackIntegration').optional(), webhookUrl: urlSchema });

const webhookSchema = z
  .strictObject({
    type: z.literal('WebhookIntegration').optional(),
    url: urlSchema,
    secret: webhookSecretSchema.optional(),
    accessToken: accessTokenSchema.optional(),
    headers: headersSchema.optional(),
    secrets: secretsSchema.optional(),
  })
  .superRefine((w, ctx) => {
    for (const i of headerIssues(w.headers ?? {}, w.secrets ?? {})) {
      ctx.addIssue({
        code: 'custom',
        path: ['headers', ...i.path],
        message: i.message,
        input: i.value,
        params: { code: i.code },
      });
    }
  });

/** Parse, and on failure throw a DefinitionError whose issues never carry a secret. */
function parse<T>(schema: z.ZodType<T, unknown>, input: unknown, what: string): T {
  // Plain data first, so no getter runs (its issues name a shape, never a field's text, so no secret).
  checkData(input, what);
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw new DefinitionError(fromZodIssues(result.error.issues).map(redactIssue), what);
  return result.data;
}

/** A Slack incoming webhook. */
export function SlackIntegration(input: { readonly webhookUrl: string }): SlackIntegration {
  const s = parse(slackSchema, input, 'SlackIntegration');
  return sealIntegration({ type: 'SlackIntegration', webhookUrl: s.webhookUrl });
}

/** A JSON webhook; `toJSON()` and `util.inspect` show `secret`, `accessToken` and `secrets` values redacted. */
export function WebhookIntegration(input: {
  readonly url: string;
  readonly secret?: string;
  readonly accessToken?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly secrets?: Readonly<Record<string, string>>;
}): WebhookIntegration {
  const w = parse(webhookSchema, input, 'WebhookIntegration');
  const headers = w.headers === undefined ? undefined : lowerCaseKeys(w.headers);
  const secrets = w.secrets === undefined ? undefined : Object.fromEntries(Object.entries(w.secrets));
  return sealIntegration({
    type: 'WebhookIntegration',
    url: w.url,
    ...(w.secret !== undefined && { secret: w.secret }),
    ...(w.accessToken !== undefined && { accessToken: w.accessToken }),
    ...(headers !== undefined && { headers }),
    ...(secrets !== undefined && { secrets }),
  });
}

function lowerCaseKeys(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}

export function isHttpIntegration(value: unknown): value is HttpIntegration {
  // Own data properties only, read without running a getter or a proxy's trap.
  const type = ownData(value, 'type');
  return (
    (type === 'SlackIntegration' && typeof ownData(value, 'webhookUrl') === 'string') ||
    (type === 'WebhookIntegration' && typeof ownData(value, 'url') === 'string')
  );
}
