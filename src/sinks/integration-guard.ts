import { ownData } from '../errors/safe-read.js';

/**
 * Is `value` an integration of `type`, with text in `field`? Read as own data properties only, so a guard
 * asked about a caller's proxy or getter runs none of its code.
 */
export function isIntegrationOf(value: unknown, type: string, field: string): boolean {
  return ownData(value, 'type') === type && typeof ownData(value, field) === 'string';
}
