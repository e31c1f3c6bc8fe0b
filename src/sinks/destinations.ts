import { ownData } from '../errors/safe-read.js';
import type { Destination } from './destination.js';
import { emailDestination } from './email/email-destination.js';
import type { EmailIntegration } from './email/email-integration.js';
import { gitHubDestination } from './github/github-destination.js';
import type { GitHubIntegration } from './github/github-integration.js';
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

/** Every built-in destination, by integration type. A new one is a folder under sinks/ and a line here. */
const DESTINATIONS: ReadonlyMap<string, Destination<DestinationIntegration>> = new Map(
  ([emailDestination, pagerDutyDestination, gitHubDestination, teamsDestination] as Destination<never>[]).map(
    (d) => [d.type, d as unknown as Destination<DestinationIntegration>],
  ),
);

/** The destination that delivers `value`, when it is an integration of one. */
export function destinationOf(value: unknown): Destination<DestinationIntegration> | undefined {
  const type = ownData(value, 'type');
  const destination = typeof type === 'string' ? DESTINATIONS.get(type) : undefined;
  return destination?.is(value) === true ? destination : undefined;
}

export function isDestinationIntegration(value: unknown): value is DestinationIntegration {
  return destinationOf(value) !== undefined;
}
