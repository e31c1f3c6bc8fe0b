import { deepFreeze } from '../definitions/parse.js';
import { DefinitionError } from '../errors/definition-error.js';
import { issue } from '../errors/issue.js';
import type { ActionDefinition } from '../schema/actions.js';
import {
  type Automation,
  type AutomationRateLimit,
  DAY_MS,
  type NewAutomation,
  type RetryPolicy,
  type SaveOptions,
} from '../schema/automation.js';
import type { TriggerDefinition } from '../schema/triggers.js';

/** As zod gives parsed options: optional fields may hold `undefined`. */
export type Loose<T> = { readonly [K in keyof T]?: T[K] | undefined };

/** What a new automation is unless told otherwise: enabled, with a 24 h cooldown; no retry policy or rate limit. */
export const DEFAULTS = { enabled: true, cooldownMs: DAY_MS } as const;

/** Everything a saved automation holds but its scope, which is always its event's. */
export type AutomationFields = {
  readonly id: string;
  readonly name: string;
  readonly description?: string | undefined;
  readonly enabled: boolean;
  readonly event: TriggerDefinition;
  readonly action: ActionDefinition;
  readonly cooldownMs: number;
  readonly retryPolicy?: RetryPolicy | undefined;
  readonly rateLimit?: AutomationRateLimit | undefined;
  readonly createdAt: number;
  readonly updatedAt: number;
};

/** The saved automation of these fields, frozen: the scope taken from the event, absent fields left out. */
export function assemble(f: AutomationFields): Automation {
  return deepFreeze({
    id: f.id,
    name: f.name,
    ...(f.description !== undefined && { description: f.description }),
    enabled: f.enabled,
    ...(f.event.scope !== undefined && { scope: f.event.scope }),
    event: f.event,
    action: f.action,
    cooldownMs: f.cooldownMs,
    ...(f.retryPolicy !== undefined && { retryPolicy: f.retryPolicy }),
    ...(f.rateLimit !== undefined && { rateLimit: f.rateLimit }),
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
  });
}

/** What saving makes of a parsed draft and parsed options (an option wins over the draft's field). */
export function newAutomation(
  draft: NewAutomation,
  options: Loose<SaveOptions>,
  assigned: { readonly id: string; readonly createdAt: number; readonly updatedAt: number },
): Automation {
  const name = options.name ?? draft.name;
  if (name === undefined)
    throw new DefinitionError([issue('invalid_type', ['name'], 'a name is required', name)], 'automation');
  return assemble({
    ...assigned,
    name,
    description: options.description ?? draft.description,
    enabled: options.enabled ?? draft.enabled ?? DEFAULTS.enabled,
    event: draft.event,
    action: draft.action,
    cooldownMs: options.cooldownMs ?? draft.cooldownMs ?? DEFAULTS.cooldownMs,
    retryPolicy: options.retryPolicy ?? draft.retryPolicy,
    rateLimit: options.rateLimit ?? draft.rateLimit,
  });
}

/** A draft with its defaults written out, so it means the same whether it creates an automation or updates one. */
export function withDefaults(draft: NewAutomation): NewAutomation {
  return {
    event: draft.event,
    action: draft.action,
    ...(draft.name !== undefined && { name: draft.name }),
    ...(draft.description !== undefined && { description: draft.description }),
    enabled: draft.enabled ?? DEFAULTS.enabled,
    cooldownMs: draft.cooldownMs ?? DEFAULTS.cooldownMs,
    ...(draft.retryPolicy !== undefined && { retryPolicy: draft.retryPolicy }),
    ...(draft.rateLimit !== undefined && { rateLimit: draft.rateLimit }),
  };
}

/** A saved automation as the draft that saves it again: every field a draft takes (no id, scope or times). */
export function draftOf(a: AutomationFields | Automation): NewAutomation {
  return {
    event: a.event,
    action: a.action,
    name: a.name,
    ...(a.description !== undefined && { description: a.description }),
    enabled: a.enabled,
    cooldownMs: a.cooldownMs,
    ...(a.retryPolicy !== undefined && { retryPolicy: a.retryPolicy }),
    ...(a.rateLimit !== undefined && { rateLimit: a.rateLimit }),
  };
}
