import { z } from 'zod';
import { DefinitionError } from '../../errors/definition-error.js';
import { fromZodIssues } from '../../errors/from-zod.js';
import type { IssuePath } from '../../errors/issue.js';
import { optional, strictObject } from '../../schema/strict.js';
import {
  accessTokenSchema,
  headerIssues,
  headersSchema,
  secretsSchema,
  secretUrlSchema,
  urlSchema,
  webhookSecretSchema,
} from './integration-schemas.js';
import { redactIssue, sealIntegration } from './redaction.js';
import { resolveSecretRefs, type SecretInput, type SecretRefs } from './secret-ref.js';

/**
 * Posts Slack incoming-webhook messages. The URL is a credential (its path is the token): `toJSON()` and
 * `util.inspect` show it as `[redacted]`, or as its `{ env }` reference when it was given as one.
 */
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
  webhookUrl: secretUrlSchema,
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

/**
 * Follow `{ env }` references, then parse; on failure throw a DefinitionError whose issues never carry a secret
 * (a field given by reference shows the reference). The input is read once, into a copy.
 */
function parse<T>(
  schema: z.ZodType<T, unknown>,
  input: unknown,
  secretFields: readonly string[],
  what: string,
): { readonly value: T; readonly refs: SecretRefs } {
  const resolved = resolveSecretRefs(input, secretFields);
  const result = schema.safeParse(resolved.input, { reportInput: true });
  // A field whose reference failed is reported once, by the reference, not again by the schema.
  const failed = resolved.issues.map((i) => i.path);
  const covered = (path: IssuePath) => failed.some((f) => f.every((p, k) => path[k] === p));
  const fromSchema = result.success
    ? []
    : fromZodIssues(result.error.issues)
        .filter((i) => !covered(i.path))
        .map((i) => redactIssue(i, resolved.refs));
  const issues = [...resolved.issues, ...fromSchema];
  if (!result.success || issues.length > 0) throw new DefinitionError(issues, what);
  return { value: result.data, refs: resolved.refs };
}

/** A Slack incoming webhook. `webhookUrl` may be `{ env: 'SLACK_WEBHOOK_URL' }`, read now from the environment. */
export function SlackIntegration(input: { readonly webhookUrl: SecretInput }): SlackIntegration {
  const { value, refs } = parse(slackSchema, input, ['webhookUrl'], 'SlackIntegration');
  return sealIntegration({ type: 'SlackIntegration', webhookUrl: value.webhookUrl }, refs);
}

/**
 * A JSON webhook; `toJSON()` and `util.inspect` show `secret`, `accessToken` and `secrets` values redacted, or as
 * their `{ env }` references. Each of those may be given as `{ env: NAME }`, read now from the environment.
 */
export function WebhookIntegration(input: {
  readonly url: string;
  readonly secret?: SecretInput;
  readonly accessToken?: SecretInput;
  readonly headers?: Readonly<Record<string, string>>;
  readonly secrets?: Readonly<Record<string, SecretInput>>;
}): WebhookIntegration {
  const { value: w, refs } = parse(webhookSchema, input, ['secret', 'accessToken'], 'WebhookIntegration');
  const headers = w.headers === undefined ? undefined : lowerCaseKeys(w.headers);
  const secrets = w.secrets === undefined ? undefined : Object.fromEntries(Object.entries(w.secrets));
  return sealIntegration(
    {
      type: 'WebhookIntegration',
      url: w.url,
      ...(w.secret !== undefined && { secret: w.secret }),
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
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; webhookUrl?: unknown; url?: unknown };
  return (
    (v.type === 'SlackIntegration' && typeof v.webhookUrl === 'string') ||
    (v.type === 'WebhookIntegration' && typeof v.url === 'string')
  );
}
