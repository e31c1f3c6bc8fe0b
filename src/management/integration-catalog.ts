import type { ActionDefinition } from '../schema/actions.js';
import { destinationOf } from '../sinks/destinations.js';

/** What management knows of a configured integration: its kind, and the action types it delivers. */
export type IntegrationKind = {
  readonly type: string;
  readonly actions: readonly ActionDefinition['type'][];
};

/** The configured integrations by name; undefined for a name that is not configured. */
export type IntegrationCatalog = (name: string) => IntegrationKind | undefined;

/** The catalog of an engine's `integrations` option, read from the one destination table delivery uses too. */
export function integrationCatalog(integrations: Readonly<Record<string, unknown>>): IntegrationCatalog {
  const kinds = new Map<string, IntegrationKind>();
  for (const [name, integration] of Object.entries(integrations)) {
    const destination = destinationOf(integration);
    // The engine's options were checked already: each one is some destination's integration.
    if (destination !== undefined)
      kinds.set(name, { type: destination.type ?? 'custom sink', actions: destination.actions });
  }
  return (name) => kinds.get(name);
}
