import type { Automation } from '../schema/automation.js';

/**
 * One change of the saved automations, in the order management made them: created (`after` only), changed (both)
 * or deleted (`before` only). `revision` is 1, 2, 3, … one per change. `sameTrigger` is management's verdict: both
 * exist and watch the same trigger, so a partition keeps the automation's windows when `after` is enabled.
 */
export type DefinitionChange = {
  readonly revision: number;
  readonly before?: Automation;
  readonly after?: Automation;
  readonly sameTrigger: boolean;
};
