import { DefinitionError, isDefinitionError } from '../index.js';
import {
  type ConfiguredIntegration,
  INTEGRATION_TYPES,
  integrationFactory,
} from '../sinks/integration-factory.js';
import { configError } from './config-error.js';

/**
 * The configuration's integrations, built by their factories, which read `{ env }` secret references themselves.
 * A refused one is a DefinitionError whose paths start at `integrations.<name>` and show no secret.
 */
export function buildIntegrations(
  config: Readonly<Record<string, { readonly type: string }>>,
): Record<string, ConfiguredIntegration> {
  const out: Record<string, ConfiguredIntegration> = {};
  for (const [name, value] of Object.entries(config)) {
    const factory = integrationFactory(value.type);
    if (factory === undefined)
      throw configError(
        ['integrations', name, 'type'],
        `expected one of ${INTEGRATION_TYPES.join(', ')}`,
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
