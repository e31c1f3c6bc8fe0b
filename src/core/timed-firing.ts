import type { Automation } from '../schema/automation.js';
import type { Firing } from './firing.js';

/**
 * A firing the engine clock made (a stall, a schedule), with what orders it among others due at once: its time,
 * then its automation's age, then its key, so any number of partitions give them in one order.
 */
export type TimedFiring = { readonly firing: Firing; readonly automation: Automation; readonly key: string };
