import type { Automation } from '../schema/automation.js';
import { sameJson } from './same-json.js';

/**
 * The one definition of "same trigger": both versions of one automation exist and watch the same event (trigger
 * type, scope, filters, run filter). A change that keeps the trigger keeps the automation's windows; nothing
 * else (name, description, action, cooldown, delivery settings, enabled) decides it.
 */
export function sameTrigger(before: Automation | undefined, after: Automation | undefined): boolean {
  return (
    before !== undefined &&
    after !== undefined &&
    before.id === after.id &&
    sameJson(before.event, after.event)
  );
}
