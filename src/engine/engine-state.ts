import { z } from 'zod';
import type { Automation } from '../schema/automation.js';
import type { DeliveryRecord } from '../sinks/delivery/delivery-record.js';

export const ENGINE_STATE_VERSION = 1;

/** What `snapshot()` returns: versioned JSON. Version 1 holds the saved automations and pending deliveries. */
export type EngineState = {
  readonly version: 1;
  readonly automations: readonly Automation[];
  /** Deliveries not yet finished, with their attempts and due times: restored, they go on where they were. */
  readonly deliveries?: readonly DeliveryRecord[];
};

const savedAutomation = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  enabled: z.boolean(),
  cooldownMs: z.number().int().min(0),
  createdAt: z.number(),
  updatedAt: z.number(),
  event: z.unknown(),
  action: z.unknown(),
});

const pendingDelivery = z.looseObject({
  firingId: z.string().min(1),
  automationId: z.string().min(1),
  automationName: z.string(),
  integration: z.string().optional(),
  status: z.literal('pending'),
  attempts: z.array(z.looseObject({ time: z.number(), durationMs: z.number(), outcome: z.string() })),
  publishTime: z.number(),
  dueTime: z.number().optional(),
  firing: z.looseObject({
    id: z.string(),
    automationId: z.string(),
    event: z.looseObject({ id: z.string(), source: z.string() }),
  }),
});

export const engineStateSchema = z.object({
  version: z.literal(ENGINE_STATE_VERSION),
  automations: z.array(savedAutomation),
  deliveries: z.array(pendingDelivery).optional(),
}) as unknown as z.ZodType<EngineState>;
