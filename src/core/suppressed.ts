import type { Evidence } from '../filters/evidence.js';
import type { Automation } from '../schema/automation.js';
import type { OnSuppressed } from './firer.js';

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

/** The firer's view of a held-back match, turned into a `Suppressed` for whoever listens. */
export function reportSuppressed(listener: (suppressed: Suppressed) => void): OnSuppressed {
  return (automation, run, accepted, extras) =>
    listener({
      automationId: automation.id,
      automationName: automation.name,
      automation,
      runId: run.runId,
      entity: run.entity,
      project: run.project,
      time: accepted.time,
      ...(extras.evidence !== undefined && { evidence: extras.evidence }),
    });
}
