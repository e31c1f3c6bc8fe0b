import type { ActionDefinition } from '../schema/actions.js';
import { destinationOf } from '../sinks/destinations.js';
import { isHttpIntegration } from '../sinks/http/integrations.js';

/** What management knows of a configured integration: its kind, and the action types it delivers (any, if absent). */
export type IntegrationKind = {
  readonly type: string;
  readonly actions?: readonly ActionDefinition['type'][];
};

/** The configured integrations by name; undefined for a name that is not configured. */
export type IntegrationCatalog = (name: string) => IntegrationKind | undefined;

/** Slack and webhook integrations post a notification or a webhook payload alike. */
const HTTP_ACTIONS: readonly ActionDefinition['type'][] = ['SendNotification', 'SendWebhook'];

/** The catalog of an engine's `integrations` option: built-in kinds deliver their own actions, a custom sink any. */
export function integrationCatalog(integrations: Readonly<Record<string, unknown>>): IntegrationCatalog {
  const kinds = new Map<string, IntegrationKind>();
  for (const [name, integration] of Object.entries(integrations)) {
    const destination = destinationOf(integration);
    if (isHttpIntegration(integration)) kinds.set(name, { type: integration.type, actions: HTTP_ACTIONS });
    else if (destination !== undefined)
      kinds.set(name, { type: destination.type, actions: destination.actions });
    else kinds.set(name, { type: 'custom sink' });
  }
  return (name) => kinds.get(name);
}
