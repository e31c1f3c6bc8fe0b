import type { Issue, IssuePath } from '../errors/issue.js';
import type { ActionDefinition } from '../schema/actions.js';
import type { Sender } from './delivery/run-attempt.js';
import type { RateLimit } from './delivery/token-bucket.js';
import type { Transport } from './http/http-request.js';
import type { UrlPolicy } from './http/url-policy.js';
import type { MailTransport } from './mail-transport.js';

/** What a destination's sender may use: the deliverer's HTTP transport and mail transport. */
export type DestinationContext = {
  readonly transport: Transport;
  readonly mailTransport: MailTransport;
};

/**
 * A kind of integration the deliverer sends to (Slack, webhooks, email, PagerDuty, GitHub, Teams, custom sinks):
 * how to recognise one, which of its strings are secret, what to check against the URL policy, and how to make
 * and judge an attempt. Delivery stays generic: it looks a destination up and never asks which one it is.
 */
export interface Destination<I extends object = object> {
  /** The integration's `type` tag; absent for custom sinks, which have none. */
  readonly type?: string;
  /** The action types it delivers; any other naming it is refused when saved. */
  readonly actions: readonly ActionDefinition['type'][];
  is(value: unknown): value is I;
  /** Every string never to be shown: redacted from records, issues, dead letters and response bodies. */
  secrets(integration: I): string[];
  /** Problems with the integration under the URL policy (issues at `path`, secrets never shown). */
  check(integration: I, policy: UrlPolicy, path: IssuePath): Issue[];
  /** A rate limit shared by every integration with the same key. */
  rateLimit?(integration: I): { readonly limit: RateLimit; readonly key: string } | undefined;
  sender(integration: I, context: DestinationContext): Sender;
}
