import { readFileSync } from 'node:fs';
import {
  fromWandbAutomation,
  isDefinitionError,
  type NewAutomation,
  parseAutomation,
  type ScopeInput,
} from '../index.js';
import {
  type ConfiguredIntegration,
  INTEGRATION_TYPES,
  integrationFactory,
} from '../sinks/integration-factory.js';
import { describeIssue } from './describe.js';
import { InputError } from './input-error.js';

export type { ConfiguredIntegration };

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read the ${what} file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path} is not JSON: ${(error as Error).message}`);
  }
}

function definitionMessage(where: string, error: unknown): string {
  if (!isDefinitionError(error)) return `${where}: ${(error as Error).message}`;
  return [`${where} is not a valid automation:`, ...error.issues.map((i) => `  ${describeIssue(i)}`)].join(
    '\n',
  );
}

/** Automations JSON: one definition, or a list of them, as `parseAutomation` reads them. */
export function loadAutomations(path: string): NewAutomation[] {
  const json = readJson(path, 'automations');
  const list = Array.isArray(json) ? json : [json];
  if (list.length === 0) throw new InputError(`${path} holds no automation`);
  return list.map((definition, i) => {
    const where = Array.isArray(json) ? `${path}[${i}]` : path;
    try {
      return parseAutomation(definition);
    } catch (error) {
      throw new InputError(definitionMessage(where, error));
    }
  });
}

/** A map of W&B ids, `{ "id": value }`, from the `--from-wandb` file. */
function idMap<T>(path: string, json: Record<string, unknown>, key: string): Record<string, T> {
  const map = json[key];
  if (map === undefined) return {};
  if (typeof map !== 'object' || map === null || Array.isArray(map))
    throw new InputError(`${path}: "${key}" must map W&B ids to ours`);
  return map as Record<string, T>;
}

/**
 * `--from-wandb`: `{ "scopes": { "<W&B scope id>": "acme/vision" }, "integrations": { "<W&B integration id>":
 * "ml-alerts" }, "automations": [ … ] }`, each automation W&B's create input or a saved trigger (or one alone).
 */
export function loadWandbAutomations(path: string): NewAutomation[] {
  const json = readJson(path, 'automations');
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('automations' in json))
    throw new InputError(
      `${path}: --from-wandb expects { "scopes": {…}, "integrations": {…}, "automations": […] }`,
    );
  const file = json as Record<string, unknown>;
  const options = {
    scope: idMap<ScopeInput>(path, file, 'scopes'),
    integrations: idMap<string>(path, file, 'integrations'),
  };
  const given = file['automations'];
  const list = Array.isArray(given) ? given : [given];
  if (list.length === 0) throw new InputError(`${path} holds no automation`);
  return list.map((definition, i) => {
    try {
      return fromWandbAutomation(definition, options);
    } catch (error) {
      throw new InputError(definitionMessage(`${path} automations[${i}]`, error));
    }
  });
}

/**
 * Integrations JSON for `--deliver`: `{ "name": { "type": "SlackIntegration", "webhookUrl": "…" }, … }`, each
 * entry what the integration's factory takes plus its `type` (Slack, Webhook, Email, PagerDuty, GitHub, Teams).
 * Any secret may be `{ "env": "NAME" }`, read from the environment, so the file itself holds none (what `toJSON`
 * writes).
 */
export function loadIntegrations(path: string): Record<string, ConfiguredIntegration> {
  const json = readJson(path, 'integrations');
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new InputError(`${path}: expected an object of integrations by name`);
  const out: Record<string, ConfiguredIntegration> = {};
  for (const [name, value] of Object.entries(json)) {
    const type = (value as { type?: unknown } | null)?.type;
    try {
      const factory = integrationFactory(type);
      if (factory === undefined)
        throw new InputError(`"type" must be one of ${INTEGRATION_TYPES.join(', ')}`);
      out[name] = factory(value as never);
    } catch (error) {
      const detail = isDefinitionError(error)
        ? error.issues.map((i) => describeIssue(i)).join('; ')
        : (error as Error).message;
      throw new InputError(`${path}: integration "${name}": ${detail}`);
    }
  }
  return out;
}
