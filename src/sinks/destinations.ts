import { ownData } from '../errors/safe-read.js';
import { customSinkDestination } from './custom-sink-destination.js';
import type { Destination } from './destination.js';
import { emailDestination } from './email/email-destination.js';
import type { EmailIntegration } from './email/email-integration.js';
import { gitHubDestination } from './github/github-destination.js';
import type { GitHubIntegration } from './github/github-integration.js';
import type { HttpIntegration } from './http/integrations.js';
import { slackDestination } from './http/slack-destination.js';
import { webhookDestination } from './http/webhook-destination.js';
import type { Integration } from './integration.js';
import { pagerDutyDestination } from './pagerduty/pagerduty-destination.js';
import type { PagerDutyIntegration } from './pagerduty/pagerduty-integration.js';
import { teamsDestination } from './teams/teams-destination.js';
import type { TeamsIntegration } from './teams/teams-integration.js';

/** An integration of one of the built-in destinations beyond Slack and webhooks. */
export type DestinationIntegration =
  | EmailIntegration
  | PagerDutyIntegration
  | GitHubIntegration
  | TeamsIntegration;

/** Anything an integration name may stand for: a built-in integration, or a custom sink. */
export type AnyIntegration = Integration | HttpIntegration | DestinationIntegration;

/** The destinations whose integrations are DestinationIntegrations (Slack and webhooks are HttpIntegrations). */
const BEYOND_HTTP: ReadonlySet<Destination> = new Set([
  emailDestination,
  pagerDutyDestination,
  gitHubDestination,
  teamsDestination,
] as Destination<never>[] as Destination[]);

/** Every built-in destination, by integration type. A new one is a folder under sinks/ and a line here. */
const DESTINATIONS: ReadonlyMap<string, Destination> = new Map(
  ([slackDestination, webhookDestination, ...BEYOND_HTTP] as Destination<never>[] as Destination[]).map(
    (d) => [d.type as string, d],
  ),
);

/** The built-in destination that delivers `value`, when it is an integration of one. */
function builtInOf(value: unknown): Destination | undefined {
  const type = ownData(value, 'type');
  const destination = typeof type === 'string' ? DESTINATIONS.get(type) : undefined;
  return destination?.is(value) === true ? destination : undefined;
}

/** The destination that delivers `value`: a built-in one by its type, else a custom sink; undefined for neither. */
export function destinationOf(value: unknown): Destination | undefined {
  return builtInOf(value) ?? (customSinkDestination.is(value) ? customSinkDestination : undefined);
}

export function isDestinationIntegration(value: unknown): value is DestinationIntegration {
  const destination = builtInOf(value);
  return destination !== undefined && BEYOND_HTTP.has(destination);
}
