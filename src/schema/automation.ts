import { z } from 'zod';
import { type ActionDefinition, actionSchema } from './actions.js';
import { labelSchema } from './names.js';
import type { Scope } from './scope.js';
import { optional, strictObject } from './strict.js';
import { type TriggerDefinition, triggerSchema } from './triggers.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest cooldown accepted: a year, so that `t + cooldown` stays an exact integer. */
export const MAX_COOLDOWN_MS = 366 * DAY_MS;

/** Event Grid's retry policy: attempts (1–30, default 30) and time to live (1–1440 min, default 1440). */
export type RetryPolicy = {
  readonly maxDeliveryAttempts?: number;
  readonly eventTimeToLiveInMinutes?: number;
};
/** At most `perSecond` deliveries a second (bursts of `burst`); over it, queue (default) or record as skipped. */
export type AutomationRateLimit = {
  readonly perSecond: number;
  readonly burst?: number;
  readonly onLimit?: 'queue' | 'skip';
};

export const retryPolicySchema = strictObject('a retry policy', {
  maxDeliveryAttempts: optional(z.number().int().min(1).max(30)),
  eventTimeToLiveInMinutes: optional(z.number().int().min(1).max(1440)),
}).transform(
  (r): RetryPolicy => ({
    ...(r.maxDeliveryAttempts !== undefined && { maxDeliveryAttempts: r.maxDeliveryAttempts }),
    ...(r.eventTimeToLiveInMinutes !== undefined && {
      eventTimeToLiveInMinutes: r.eventTimeToLiveInMinutes,
    }),
  }),
);

export const rateLimitSchema = strictObject('a rate limit', {
  perSecond: z.number().positive().max(1_000_000),
  burst: optional(z.number().int().min(1).max(1_000_000)),
  onLimit: optional(z.enum(['queue', 'skip'])),
}).transform(
  (r): AutomationRateLimit => ({
    perSecond: r.perSecond,
    ...(r.burst !== undefined && { burst: r.burst }),
    ...(r.onLimit !== undefined && { onLimit: r.onLimit }),
  }),
);

/** What `trigger.do(action)` makes and `parseAutomation` reads: an automation not yet saved. */
export type NewAutomation = {
  readonly event: TriggerDefinition;
  readonly action: ActionDefinition;
  readonly name?: string;
  readonly description?: string;
  readonly enabled?: boolean;
  readonly cooldownMs?: number;
  readonly retryPolicy?: RetryPolicy;
  readonly rateLimit?: AutomationRateLimit;
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
  /** Delivery retries; absent = 30 attempts within 24 h. */
  readonly retryPolicy?: RetryPolicy;
  /** A per-automation delivery rate limit; absent = none. */
  readonly rateLimit?: AutomationRateLimit;
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
  /** @default { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 } */
  readonly retryPolicy?: RetryPolicy;
  /** @default none */
  readonly rateLimit?: AutomationRateLimit;
};

/** The fields `update` changes; the others are kept. `null` takes an optional field away. */
export type AutomationUpdate = {
  readonly name?: string;
  readonly description?: string | null;
  readonly enabled?: boolean;
  readonly cooldownMs?: number;
  readonly event?: TriggerDefinition;
  readonly action?: ActionDefinition;
  readonly retryPolicy?: RetryPolicy | null;
  readonly rateLimit?: AutomationRateLimit | null;
};

const cooldownSchema = z.number().int().min(0).max(MAX_COOLDOWN_MS);
const descriptionSchema = z.string().max(4096);

/** A draft's fields: `null` for an optional one means absent, as everywhere in definitions. */
export const newAutomationFields = {
  event: triggerSchema,
  action: actionSchema,
  name: optional(labelSchema),
  description: optional(descriptionSchema),
  enabled: optional(z.boolean()),
  cooldownMs: optional(cooldownSchema),
  retryPolicy: optional(retryPolicySchema),
  rateLimit: optional(rateLimitSchema),
};

export const newAutomationSchema = strictObject('an automation', newAutomationFields).transform(
  (a): NewAutomation => ({
    event: a.event,
    action: a.action,
    ...(a.name !== undefined && { name: a.name }),
    ...(a.description !== undefined && { description: a.description }),
    ...(a.enabled !== undefined && { enabled: a.enabled }),
    ...(a.cooldownMs !== undefined && { cooldownMs: a.cooldownMs }),
    ...(a.retryPolicy !== undefined && { retryPolicy: a.retryPolicy }),
    ...(a.rateLimit !== undefined && { rateLimit: a.rateLimit }),
  }),
);

// `null` for an optional field means absent, as in a draft.
export const saveOptionsSchema = strictObject('save options', {
  name: optional(labelSchema),
  description: optional(descriptionSchema),
  enabled: optional(z.boolean()),
  cooldownMs: optional(cooldownSchema),
  id: optional(labelSchema),
  retryPolicy: optional(retryPolicySchema),
  rateLimit: optional(rateLimitSchema),
});

// In a patch `null` takes an optional field away; a required one cannot be taken away, so null is refused there.
export const automationUpdateSchema = strictObject('an update', {
  name: labelSchema.optional(),
  description: descriptionSchema.nullable().optional(),
  enabled: z.boolean().optional(),
  cooldownMs: cooldownSchema.optional(),
  event: triggerSchema.optional(),
  action: actionSchema.optional(),
  retryPolicy: retryPolicySchema.nullable().optional(),
  rateLimit: rateLimitSchema.nullable().optional(),
});
