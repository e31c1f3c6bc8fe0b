import type { Evidence } from '../filters/evidence.js';
import type { Automation } from '../schema/automation.js';

/** A match the cooldown held back: counted, and shown to whoever asks (outcomes, replays, reports). */
export type Suppressed = {
  readonly automationId: string;
  readonly automationName: string;
  /** The automation as it was when it matched. */
  readonly automation: Automation;
  readonly runId: string;
  readonly entity: string;
  readonly project: string;
  /** Event time of the match. */
  readonly time: number;
  readonly evidence?: Evidence;
};
