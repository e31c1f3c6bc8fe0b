import { DefinitionError } from '../index.js';

/** A configuration field that cannot be used (a secret's variable unset, an unreadable file), by its path. */
export function configError(
  path: readonly (string | number)[],
  message: string,
  value?: unknown,
): DefinitionError {
  return new DefinitionError([{ code: 'invalid_value', path, message, value }], 'server configuration');
}
