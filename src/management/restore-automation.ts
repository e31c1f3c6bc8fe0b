import { parseDefinition } from '../definitions/parse.js';
import { sequenceOf } from '../routing/age-order.js';
import { type Automation, newAutomationSchema, saveOptionsSchema } from '../schema/automation.js';
import { assemble } from './defaults.js';
import type { SequencedAutomation } from './definitions.js';

const WHAT = 'saved automation';

/**
 * A saved automation from a snapshot, read back as it was saved: its definition and settings parsed again, its
 * id and times kept. With it, its place in the order of saving: its `sequence`, or the one this process gave the
 * very object, if any.
 */
export function restoreAutomation(saved: SequencedAutomation): readonly [Automation, number | undefined] {
  const sequence = typeof saved.sequence === 'number' ? saved.sequence : sequenceOf(saved);
  const parsed = parseDefinition(newAutomationSchema, { event: saved.event, action: saved.action }, WHAT);
  const settings = parseDefinition(
    saveOptionsSchema,
    {
      id: saved.id,
      name: saved.name,
      enabled: saved.enabled,
      cooldownMs: saved.cooldownMs,
      ...(saved.description !== undefined && { description: saved.description }),
      ...(saved.retryPolicy !== undefined && { retryPolicy: saved.retryPolicy }),
      ...(saved.rateLimit !== undefined && { rateLimit: saved.rateLimit }),
    },
    WHAT,
  );
  const automation = assemble({
    id: saved.id,
    name: saved.name,
    description: settings.description,
    enabled: saved.enabled,
    event: parsed.event,
    action: parsed.action,
    cooldownMs: saved.cooldownMs,
    retryPolicy: settings.retryPolicy,
    rateLimit: settings.rateLimit,
    createdAt: saved.createdAt,
    updatedAt: saved.updatedAt,
  });
  return [automation, sequence];
}
