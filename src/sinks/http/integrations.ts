import { z } from 'zod';
import { DefinitionError } from '../../errors/definition-error.js';
import { fromZodIssues } from '../../errors/from-zod.js';
import { optional, strictObject } from '../../schema/strict.js';
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

const slackSchema = strictObject('SlackIntegration', {
  type: z.literal('SlackIntegration').optional(),
  webhookUrl: urlSchema,
});

// `null` for an optional field means absent, as in every definition.
const webhookSchema = strictObject('WebhookIntegration', {
  type: z.literal('WebhookIntegration').optional(),
  url: urlSchema,
  secret: optional(webhookSecretSchema),
  accessToken: optional(accessTokenSchema),
  headers: optional(headersSchema),
  secrets: optional(secretsSchema),
}).superRefine((w, ctx) => {
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
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; webhookUrl?: unknown; url?: unknown };
  return (
    (v.type === 'SlackIntegration' && typeof v.webhookUrl === 'string') ||
    (v.type === 'WebhookIntegration' && typeof v.url === 'string')
  );
}
