import {
  DefinitionError,
  type DestinationIntegration,
  EmailIntegration,
  GitHubIntegration,
  type HttpIntegration,
  isDefinitionError,
  PagerDutyIntegration,
  SlackIntegration,
  TeamsIntegration,
  WebhookIntegration,
} from '../index.js';
import { configError } from './config-error.js';

type Factory = (input: never) => HttpIntegration | DestinationIntegration;

/** The integration factories a configuration may name, by their `type`. */
const FACTORIES: Readonly<Record<string, Factory>> = {
  SlackIntegration,
  WebhookIntegration,
  EmailIntegration,
  PagerDutyIntegration,
  GitHubIntegration,
  TeamsIntegration,
};

/**
 * The configuration's integrations, built by their factories, which read `{ env }` secret references themselves.
 * A refused one is a DefinitionError whose paths start at `integrations.<name>` and show no secret.
 */
export function buildIntegrations(
  config: Readonly<Record<string, { readonly type: string }>>,
): Record<string, HttpIntegration | DestinationIntegration> {
  const out: Record<string, HttpIntegration | DestinationIntegration> = {};
  for (const [name, value] of Object.entries(config)) {
    const factory = Object.hasOwn(FACTORIES, value.type) ? FACTORIES[value.type] : undefined;
    if (factory === undefined)
      throw configError(
        ['integrations', name, 'type'],
        `expected one of ${Object.keys(FACTORIES).join(', ')}`,
        value.type,
      );
    const { type: _type, ...input } = value;
    try {
      out[name] = factory(input as never);
    } catch (error) {
      if (!isDefinitionError(error)) throw error;
      const issues = error.issues.map((i) => ({ ...i, path: ['integrations', name, ...i.path] }));
      throw new DefinitionError(issues, 'server configuration');
    }
  }
  return out;
}
