import { z } from 'zod';
import type { Automation } from '../schema/automation.js';

export const ENGINE_STATE_VERSION = 1;

/** What `snapshot()` returns: versioned JSON. Version 1 holds the saved automations. */
export type EngineState = {
  readonly version: 1;
  readonly automations: readonly Automation[];
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

export const engineStateSchema = z.object({
  version: z.literal(ENGINE_STATE_VERSION),
  automations: z.array(savedAutomation),
}) as unknown as z.ZodType<EngineState>;
