import type { DestinationIntegration } from './destinations.js';
import { EmailIntegration } from './email/email-integration.js';
import { GitHubIntegration } from './github/github-integration.js';
import { type HttpIntegration, SlackIntegration, WebhookIntegration } from './http/integrations.js';
import { PagerDutyIntegration } from './pagerduty/pagerduty-integration.js';
import { TeamsIntegration } from './teams/teams-integration.js';

/** An integration a JSON file can configure: every built-in kind (custom sinks are code, not JSON). */
export type ConfiguredIntegration = HttpIntegration | DestinationIntegration;

/** The integration factories by `type`: what each writes as its JSON reads back through it. */
const FACTORIES: Readonly<Record<string, (input: never) => ConfiguredIntegration>> = {
  SlackIntegration,
  WebhookIntegration,
  EmailIntegration,
  PagerDutyIntegration,
  GitHubIntegration,
  TeamsIntegration,
};

export const INTEGRATION_TYPES: readonly string[] = Object.keys(FACTORIES);

/** The factory for an integration's JSON `type`, or undefined for a type no built-in integration has. */
export function integrationFactory(type: unknown): ((input: never) => ConfiguredIntegration) | undefined {
  return typeof type === 'string' && Object.hasOwn(FACTORIES, type) ? FACTORIES[type] : undefined;
}
