import { DefinitionError } from '../errors/definition-error.js';
import { issue } from '../errors/issue.js';
import { type NewAutomation, newAutomationSchema } from '../schema/automation.js';
import { parseDefinition } from './parse.js';

/**
 * Read an automation from JSON text or parsed JSON: `{ event, action, name?, description?, enabled?, cooldownMs? }`.
 * Throws a DefinitionError naming each bad field.
 */
export function parseAutomation(json: unknown): NewAutomation {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new DefinitionError(
        [issue('invalid_format', [], `not JSON: ${message}`, json)],
        'automation JSON',
      );
    }
  }
  return parseDefinition(newAutomationSchema, value, 'automation');
}
