import { types } from 'node:util';

/**
 * The message of something thrown, for an issue, without running any of its code: an Error's own `message`
 * data property, a primitive as text, and for anything else (whose `toString` could throw) a fixed text.
 */
export function messageOf(thrown: unknown): string {
  if (types.isNativeError(thrown)) {
    const own = Object.getOwnPropertyDescriptor(thrown, 'message');
    return own !== undefined && typeof own.value === 'string' ? own.value : 'an error without a message';
  }
  if (typeof thrown === 'string') return thrown;
  if (thrown === null || (typeof thrown !== 'object' && typeof thrown !== 'function')) return String(thrown);
  return 'a value that is not an Error';
}
