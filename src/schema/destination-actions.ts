import { z } from 'zod';
import { caselessEnum } from './caseless.js';
import { type JsonValue, jsonValueSchema } from './json-value.js';
import { labelSchema } from './names.js';
import { severitySchema } from './severity.js';
import { optional, strictObject } from './strict.js';

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

const DAY = 24 * 3600e3;
/** At least a second (a shorter window batches nothing), at most a week (held firings live in memory). */
export const digestSchema = strictObject('digest', {
  windowMs: z
    .number()
    .int()
    .min(1000)
    .max(7 * DAY),
});

const template = (max: number) => optional(z.string().max(max));
const pagerDutySeverity = caselessEnum<PagerDutySeverity>(
  { critical: 'critical', error: 'error', warning: 'warning', info: 'info' },
  'critical, error, warning or info',
);

/** GitHub refuses a `client_payload` with more than 10 top-level properties (422). */
export const MAX_CLIENT_PAYLOAD_KEYS = 10;

export const sendEmailSchema = strictObject('SendEmail', {
  type: z.literal('SendEmail').optional(),
  integration: labelSchema,
  subject: template(998),
  body: template(65_536),
  digest: optional(digestSchema),
}).transform(
  (a): SendEmail => ({
    type: 'SendEmail',
    integration: a.integration,
    subject: a.subject ?? '',
    body: a.body ?? '',
    ...(a.digest !== undefined && { digest: a.digest }),
  }),
);

export const sendPagerDutySchema = strictObject('SendPagerDuty', {
  type: z.literal('SendPagerDuty').optional(),
  integration: labelSchema,
  severity: pagerDutySeverity,
  summary: template(1024),
}).transform(
  (a): SendPagerDuty => ({
    type: 'SendPagerDuty',
    integration: a.integration,
    severity: a.severity,
    ...(a.summary !== undefined && { summary: a.summary }),
  }),
);

export const dispatchGitHubWorkflowSchema = strictObject('DispatchGitHubWorkflow', {
  type: z.literal('DispatchGitHubWorkflow').optional(),
  integration: labelSchema,
  eventType: z.string().min(1).max(100),
  clientPayload: optional(
    z.record(z.string(), jsonValueSchema).refine((p) => Object.keys(p).length <= MAX_CLIENT_PAYLOAD_KEYS, {
      message: `GitHub takes at most ${MAX_CLIENT_PAYLOAD_KEYS} top-level client_payload keys`,
      params: { code: 'too_big' },
    }),
  ),
}).transform(
  (a): DispatchGitHubWorkflow => ({
    type: 'DispatchGitHubWorkflow',
    integration: a.integration,
    eventType: a.eventType,
    ...(a.clientPayload !== undefined && { clientPayload: a.clientPayload }),
  }),
);

export const sendTeamsMessageSchema = strictObject('SendTeamsMessage', {
  type: z.literal('SendTeamsMessage').optional(),
  integration: labelSchema,
  title: template(3000),
  message: template(3000),
  severity: optional(severitySchema),
  digest: optional(digestSchema),
}).transform(
  (a): SendTeamsMessage => ({
    type: 'SendTeamsMessage',
    integration: a.integration,
    title: a.title ?? '',
    message: a.message ?? '',
    severity: a.severity ?? 'INFO',
    ...(a.digest !== undefined && { digest: a.digest }),
  }),
);
