import {
  type Digest,
  type DispatchGitHubWorkflow as Dispatch,
  dispatchGitHubWorkflowSchema,
  type SendEmail as Email,
  type SendPagerDuty as PagerDuty,
  type PagerDutySeverity,
  sendEmailSchema,
  sendPagerDutySchema,
  sendTeamsMessageSchema,
  type SendTeamsMessage as Teams,
} from '../schema/destination-actions.js';
import type { JsonValue } from '../schema/json-value.js';
import { parseDefinition } from './parse.js';

/** An email through the named EmailIntegration: `subject` and `body` are `${variable}` templates. */
export function SendEmail(input: {
  readonly integration: string;
  readonly subject?: string;
  readonly body?: string;
  readonly digest?: Digest;
}): Email {
  return parseDefinition(sendEmailSchema, input, 'SendEmail');
}

/** A PagerDuty Events API v2 `trigger`, deduplicated on the firing id; `summary` is a template. */
export function SendPagerDuty(input: {
  readonly integration: string;
  readonly severity: PagerDutySeverity | Uppercase<PagerDutySeverity>;
  readonly summary?: string;
}): PagerDuty {
  return parseDefinition(sendPagerDutySchema, input, 'SendPagerDuty');
}

/** A GitHub `repository_dispatch` (at most 10 top-level `clientPayload` keys, string values templated). */
export function DispatchGitHubWorkflow(input: {
  readonly integration: string;
  readonly eventType: string;
  readonly clientPayload?: { readonly [key: string]: JsonValue };
}): Dispatch {
  return parseDefinition(dispatchGitHubWorkflowSchema, input, 'DispatchGitHubWorkflow');
}

/** A Microsoft Teams message: an Adaptive Card with the title, the message and the evidence. */
export function SendTeamsMessage(input: {
  readonly integration: string;
  readonly title?: string;
  readonly message?: string;
  readonly severity?: 'INFO' | 'WARN' | 'ERROR';
  readonly digest?: Digest;
}): Teams {
  return parseDefinition(sendTeamsMessageSchema, input, 'SendTeamsMessage');
}

export type SendEmail = Email;
export type SendPagerDuty = PagerDuty;
export type DispatchGitHubWorkflow = Dispatch;
export type SendTeamsMessage = Teams;
