import { z } from 'zod';
import { ownData } from '../../errors/safe-read.js';
import { optional, strictObject } from '../../schema/strict.js';
import { parseIntegration } from '../parse-integration.js';
import {
  accessTokenSchema,
  headerIssues,
  headersSchema,
  secretsSchema,
  secretUrlSchema,
  urlSchema,
  wandbSecretSchema,
  webhookSecretSchema,
} from './integration-schemas.js';
import { sealIntegration } from './redaction.js';
import type { SecretInput } from './secret-ref.js';

/**
 * Posts Slack incoming-webhook messages. The URL is a credential (its path is the token): `toJSON()` and
 * `util.inspect` show it as `[redacted]`, or as its `{ env }` reference when it was given as one.
 */
export type SlackIntegration = { readonly type: 'SlackIntegration'; readonly webhookUrl: string };

/** How a webhook is signed: Standard Webhooks (the default), or W&B's `X-Wandb-Signature`. */
export type WebhookSigning = 'standard' | 'wandb';

/** Posts JSON to `url`, signed per Standard Webhooks (or W&B, with `signing: 'wandb'`) when `secret` is set. */
export type WebhookIntegration = {
  readonly type: 'WebhookIntegration';
  readonly url: string;
  /**
   * Standard Webhooks: `whsec_<base64>` (24 to 64 key bytes), signing `webhook-signature`. With
   * `signing: 'wandb'`: free text, keying `x-wandb-signature` (base64 HMAC-SHA256 of the body).
   */
  readonly secret?: string;
  /** @default 'standard' */
  readonly signing?: WebhookSigning;
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
  webhookUrl: secretUrlSchema,
});

// `null` for an optional field means absent, as in every definition.
const webhookSchema = strictObject('WebhookIntegration', {
  type: z.literal('WebhookIntegration').optional(),
  url: urlSchema,
  secret: optional(z.string()),
  signing: optional(z.enum(['standard', 'wandb'])),
  accessToken: optional(accessTokenSchema),
  headers: optional(headersSchema),
  secrets: optional(secretsSchema),
}).superRefine((w, ctx) => {
  // W&B keys its HMAC with the secret's text as configured; Standard Webhooks with whsec_ key bytes.
  const secret = w.signing === 'wandb' ? wandbSecretSchema : webhookSecretSchema;
  for (const zi of w.secret === undefined ? [] : (secret.safeParse(w.secret).error?.issues ?? [])) {
    const code = zi.code === 'custom' ? (zi.params as { code?: string } | undefined)?.code : zi.code;
    ctx.addIssue({
      code: 'custom',
      path: ['secret'],
      message: zi.message,
      input: w.secret,
      params: { code },
    });
  }
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

/** A Slack incoming webhook. `webhookUrl` may be `{ env: 'SLACK_WEBHOOK_URL' }`, read now from the environment. */
export function SlackIntegration(input: { readonly webhookUrl: SecretInput }): SlackIntegration {
  const { value, refs } = parseIntegration(slackSchema, input, 'SlackIntegration', ['webhookUrl']);
  return sealIntegration({ type: 'SlackIntegration', webhookUrl: value.webhookUrl }, refs);
}

/**
 * A JSON webhook; `toJSON()` and `util.inspect` show `secret`, `accessToken` and `secrets` values redacted, or as
 * their `{ env }` references. Each of those may be given as `{ env: NAME }`, read now from the environment.
 */
export function WebhookIntegration(input: {
  readonly url: string;
  readonly secret?: SecretInput;
  readonly signing?: WebhookSigning;
  readonly accessToken?: SecretInput;
  readonly headers?: Readonly<Record<string, string>>;
  readonly secrets?: Readonly<Record<string, SecretInput>>;
}): WebhookIntegration {
  const { value: w, refs } = parseIntegration(webhookSchema, input, 'WebhookIntegration', [
    'secret',
    'accessToken',
  ]);
  const headers = w.headers === undefined ? undefined : lowerCaseKeys(w.headers);
  const secrets = w.secrets === undefined ? undefined : Object.fromEntries(Object.entries(w.secrets));
  return sealIntegration(
    {
      type: 'WebhookIntegration',
      url: w.url,
      ...(w.secret !== undefined && { secret: w.secret }),
      ...(w.signing !== undefined && { signing: w.signing }),
      ...(w.accessToken !== undefined && { accessToken: w.accessToken }),
      ...(headers !== undefined && { headers }),
      ...(secrets !== undefined && { secrets }),
    },
    refs,
  );
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
