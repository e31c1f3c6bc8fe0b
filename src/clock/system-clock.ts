import { DefinitionError } from '../errors/definition-error.js';
import { issue } from '../errors/issue.js';
import type { Clock } from './clock.js';

/** The default clock, and the only wall-clock read in src/. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimer(callback: () => void, delayMs: number): () => void {
    if (typeof callback !== 'function')
      throw new DefinitionError(
        [issue('invalid_type', ['callback'], 'expected a function', callback)],
        'setTimer',
      );
    const handle = setTimeout(callback, typeof delayMs === 'number' ? Math.max(0, delayMs) : 0);
    handle.unref?.();
    return () => clearTimeout(handle);
  },
});
