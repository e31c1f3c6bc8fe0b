import type { Clock } from '../clock/clock.js';
import { DefinitionError, isDefinitionError } from '../errors/definition-error.js';
import type { Issue } from '../errors/issue.js';
import type { Automation } from '../schema/automation.js';
import { createDeliverer } from '../sinks/delivery/create-deliverer.js';
import type { Deliverer } from '../sinks/delivery/deliverer.js';
import type { DeliveryOptions } from '../sinks/delivery/delivery-options.js';
import type { DeadLetter, DeliveryRecord } from '../sinks/delivery/delivery-record.js';
import type { AnyIntegration } from '../sinks/destinations.js';

type Events = {
  readonly report: (issue: Issue) => void;
  readonly onRecord: (record: DeliveryRecord) => void;
  readonly onDelivered: (record: DeliveryRecord) => void;
  readonly onDeadLetter: (letter: DeadLetter) => void;
  readonly wantsRecords: () => boolean;
};

/**
 * The engine's delivery: a deliverer (the same `createDeliverer` users call) on the engine's clock, with its
 * integrations and delivery options, reading each automation's retry policy and rate limit from the registry.
 */
export function createOutbox(
  clock: Clock,
  integrations: readonly [string, AnyIntegration][],
  options: DeliveryOptions,
  automation: (id: string) => Automation | undefined,
  events: Events,
): Deliverer {
  try {
    return createDeliverer({
      ...options,
      clock,
      integrations: Object.fromEntries(integrations),
      automation,
      onIssue: events.report,
      onRecord: events.onRecord,
      onDelivered: events.onDelivered,
      onDeadLetter: events.onDeadLetter,
      wantsRecords: events.wantsRecords,
    });
  } catch (error) {
    // The engine's own options were refused (an integration's URL under the policy): say so in its words.
    if (isDefinitionError(error)) throw new DefinitionError(error.issues, 'engine options');
    throw error;
  }
}
