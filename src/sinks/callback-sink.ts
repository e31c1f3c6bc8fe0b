import type { Firing } from '../streams/firing.js';
import type { Integration } from './integration.js';

/** An integration that calls your function with each firing. */
export function CallbackSink(
  callback: (firing: Firing, signal: AbortSignal) => void | Promise<void>,
): Integration {
  if (typeof callback !== 'function') throw new TypeError('CallbackSink takes a function');
  return Object.freeze({ deliver: callback });
}
