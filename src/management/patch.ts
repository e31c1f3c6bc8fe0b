import type { Automation, AutomationUpdate, NewAutomation } from '../schema/automation.js';
import { type AutomationFields, assemble, draftOf, type Loose } from './defaults.js';

/** A parsed patch: an absent (or `undefined`) field is kept, `null` takes an optional field away. */
export type Patch = Loose<AutomationUpdate>;

/** The patched value of an optional field: `null` unsets it, `undefined` keeps what there was. */
function patched<T>(value: T | null | undefined, current: T | undefined): T | undefined {
  return value === null ? undefined : (value ?? current);
}

/** What `before` becomes under `patch`: every field but `updatedAt`, which the caller stamps. */
function patchedFields(before: Automation, patch: Patch): Omit<AutomationFields, 'updatedAt'> {
  return {
    id: before.id,
    name: patch.name ?? before.name,
    description: patched(patch.description, before.description),
    enabled: patch.enabled ?? before.enabled,
    event: patch.event ?? before.event,
    action: patch.action ?? before.action,
    cooldownMs: patch.cooldownMs ?? before.cooldownMs,
    retryPolicy: patched(patch.retryPolicy, before.retryPolicy),
    rateLimit: patched(patch.rateLimit, before.rateLimit),
    createdAt: before.createdAt,
  };
}

/** The saved automation an update makes: same id and createdAt, `updatedAt` now. */
export function applyPatch(before: Automation, patch: Patch, now: number): Automation {
  return assemble({ ...patchedFields(before, patch), updatedAt: now });
}

/** What an update would make, as a draft (for `authorize`, before anything changes). */
export function patchedDraft(before: Automation, patch: Patch): NewAutomation {
  return draftOf({ ...patchedFields(before, patch), updatedAt: before.updatedAt });
}
