import type { Firing } from '../core/firing.js';
import { DefinitionError } from '../errors/definition-error.js';
import { issue } from '../errors/issue.js';
import type { Integration } from './integration.js';

/** An integration that calls your function with each firing. */
export function CallbackSink(
  callback: (firing: Firing, signal: AbortSignal) => void | Promise<void>,
): Integration {
  if (typeof callback !== 'function')
    throw new DefinitionError(
      [issue('invalid_type', [], 'CallbackSink takes a function', callback)],
      'CallbackSink',
    );
  return Object.freeze({ deliver: callback });
}
