import type { Clock } from './clock.js';

/** The default clock, and the only wall-clock read in src/. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });
