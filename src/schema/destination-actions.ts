import { z } from 'zod';
import { type JsonValue, jsonValueSchema } from './json-value.js';
import { labelSchema } from './names.js';

/** Combine the firings of one automation within `windowMs` after the first into one message. */
export type Digest = { readonly windowMs: number };

/** An email through the named EmailIntegration; `subject` and `body` are templates. */
export type SendEmail = {
  readonly type: 'SendEmail';
  readonly integration: string;
  readonly subject: string;
  readonly body: string;
  readonly digest?: Digest;
};

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

/** A PagerDuty Events API v2 `trigger`; `summary` is a template (default: what fired, and why). */
export type SendPagerDuty = {
  readonly type: 'SendPagerDuty';
  readonly integration: string;
  readonly severity: PagerDutySeverity;
  readonly summary?: string;
};

/** A GitHub `repository_dispatch`; string values of `clientPayload` are templates. */
export type DispatchGitHubWorkflow = {
  readonly type: 'DispatchGitHubWorkflow';
  readonly integration: string;
  readonly eventType: string;
  readonly clientPayload?: { readonly [key: string]: JsonValue };
};

/** A Microsoft Teams message (an Adaptive Card); `title` and `message` are templates. */
export type SendTeamsMessage = {
  readonly type: 'SendTeamsMessage';
  readonly integration: string;
  readonly title: string;
  readonly message: string;
  readonly severity: 'INFO' | 'WARN' | 'ERROR';
  readonly digest?: Digest;
};

/** In definitions `null` means absent (W&B's JSON writes it for unset fields). */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.optional());
}

/** An enum read in any case, stored as `canonical` spells it. */
function caseless<const T extends string>(values: readonly T[]) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? (values.find((c) => c.toLowerCase() === v.toLowerCase()) ?? v) : v),
    z.enum(values as [T, ...T[]]),
  );
}

const DAY = 24 * 3600e3;
/** At least a second (a shorter window batches nothing), at most a week (held firings live in memory). */
export const digestSchema = z.strictObject({
  windowMs: z
    .number()
    .int()
    .min(1000)
    .max(7 * DAY),
});

const template = (max: number) => optional(z.string().max(max));
const severity = caseless(['INFO', 'WARN', 'ERROR'] as const);

/** GitHub refuses a `client_payload` with more than 10 top-level properties (422). */
export const MAX_CLIENT_PAYLOAD_KEYS = 10;

export const sendEmailSchema = z
  .strictObject({
    type: z.literal('SendEmail').optional(),
    integration: labelSchema,
    subject: template(998),
    body: template(65_536),
    digest: optional(digestSchema),
  })
  .transform(
    (a): SendEmail => ({
      type: 'SendEmail',
      integration: a.integration,
      subject: a.subject ?? '',
      body: a.body ?? '',
      ...(a.digest !== undefined && { digest: a.digest }),
    }),
  );

export const sendPagerDutySchema = z
  .strictObject({
    type: z.literal('SendPagerDuty').optional(),
    integration: labelSchema,
    severity: caseless(['critical', 'error', 'warning', 'info'] as const),
    summary: template(1024),
  })
  .transform(
    (a): SendPagerDuty => ({
      type: 'SendPagerDuty',
      integration: a.integration,
      severity: a.severity,
      ...(a.summary !== undefined && { summary: a.summary }),
    }),
  );

export const dispatchGitHubWorkflowSchema = z
  .strictObject({
    type: z.literal('DispatchGitHubWorkflow').optional(),
    integration: labelSchema,
    eventType: z.string().min(1).max(100),
    clientPayload: optional(
      z.record(z.string(), jsonValueSchema).refine((p) => Object.keys(p).length <= MAX_CLIENT_PAYLOAD_KEYS, {
        message: `GitHub takes at most ${MAX_CLIENT_PAYLOAD_KEYS} top-level client_payload keys`,
        params: { code: 'too_big' },
      }),
    ),
  })
  .transform(
    (a): DispatchGitHubWorkflow => ({
      type: 'DispatchGitHubWorkflow',
      integration: a.integration,
      eventType: a.eventType,
      ...(a.clientPayload !== undefined && { clientPayload: a.clientPayload }),
    }),
  );

export const sendTeamsMessageSchema = z
  .strictObject({
    type: z.literal('SendTeamsMessage').optional(),
    integration: labelSchema,
    title: template(3000),
    message: template(3000),
    severity: optional(severity),
    digest: optional(digestSchema),
  })
  .transform(
    (a): SendTeamsMessage => ({
      type: 'SendTeamsMessage',
      integration: a.integration,
      title: a.title ?? '',
      message: a.message ?? '',
      severity: a.severity ?? 'INFO',
      ...(a.digest !== undefined && { digest: a.digest }),
    }),
  );
