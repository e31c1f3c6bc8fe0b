import { z } from 'zod';
import { type ActionDefinition, actionSchema } from './actions.js';
import { labelSchema } from './names.js';
import type { Scope } from './scope.js';
import { type TriggerDefinition, triggerSchema } from './triggers.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest cooldown accepted: a year, so that `t + cooldown` stays an exact integer. */
export const MAX_COOLDOWN_MS = 366 * DAY_MS;

/** What `trigger.do(action)` makes and `parseAutomation` reads: an automation not yet saved. */
export type NewAutomation = {
  readonly event: TriggerDefinition;
  readonly action: ActionDefinition;
  readonly name?: string;
  readonly description?: string;
  readonly enabled?: boolean;
  readonly cooldownMs?: number;
};

/** A saved automation, as `save`, `get` and `list` return it. */
export type Automation = {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly enabled: boolean;
  /** The event's scope; absent only for an `OnEvent` subscription that watches every event. */
  readonly scope?: Scope;
  readonly event: TriggerDefinition;
  readonly action: ActionDefinition;
  /** At most one firing per run within this many ms of event time; 0 = no cooldown. */
  readonly cooldownMs: number;
  readonly createdAt: number;
  readonly updatedAt: number;
};

/** The options of `save`, and of `update` for the fields it changes. */
export type SaveOptions = {
  /** Unique among saved automations; at most 255 characters. Required unless the draft has one. */
  readonly name?: string;
  readonly description?: string;
  /** @default true */
  readonly enabled?: boolean;
  /** @default 86_400_000 (24 h) */
  readonly cooldownMs?: number;
  /** A stable id of your own (e.g. from your database); generated when absent. */
  readonly id?: string;
};

export type AutomationUpdate = {
  readonly name?: string;
  readonly description?: string;
  readonly enabled?: boolean;
  readonly cooldownMs?: number;
  readonly event?: TriggerDefinition;
  readonly action?: ActionDefinition;
};

const cooldownSchema = z.number().int().min(0).max(MAX_COOLDOWN_MS);
const descriptionSchema = z.string().max(4096);

export const newAutomationSchema = z
  .object({
    event: triggerSchema,
    action: actionSchema,
    name: labelSchema.optional(),
    description: descriptionSchema.optional(),
    enabled: z.boolean().optional(),
    cooldownMs: cooldownSchema.optional(),
  })
  .transform(
    (a): NewAutomation => ({
      event: a.event,
      action: a.action,
      ...(a.name !== undefined && { name: a.name }),
      ...(a.description !== undefined && { description: a.description }),
      ...(a.enabled !== undefined && { enabled: a.enabled }),
      ...(a.cooldownMs !== undefined && { cooldownMs: a.cooldownMs }),
    }),
  );

export const saveOptionsSchema = z
  .object({
    name: labelSchema.optional(),
    description: descriptionSchema.optional(),
    enabled: z.boolean().optional(),
    cooldownMs: cooldownSchema.optional(),
    id: labelSchema.optional(),
  })
  .strict();

export const automationUpdateSchema = z
  .object({
    name: labelSchema.optional(),
    description: descriptionSchema.optional(),
    enabled: z.boolean().optional(),
    cooldownMs: cooldownSchema.optional(),
    event: triggerSchema.optional(),
    action: actionSchema.optional(),
  })
  .strict();
