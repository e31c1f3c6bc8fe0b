import { z } from 'zod';
import { jsonObjectSchema } from '../schema/json-object.js';
import { seriesStateSchema } from '../windows/series-state.js';

const finite = z.number().refine(Number.isFinite, { message: 'must be finite' });
const text = z.string().max(4096);

/** A run as a snapshot keeps it; maps as pairs, so no name is ever an object key. */
export const savedRunSchema = z.object({
  entity: text,
  project: text,
  runId: text,
  runName: z.string().max(1024).optional(),
  user: text.optional(),
  /** The run's latest tags and config (§3.5); absent in snapshots from before they existed. */
  tags: z.array(text).optional(),
  config: jsonObjectSchema.optional(),
  /** Automation id → event time of its last firing for this run. */
  lastFired: z.array(z.tuple([z.string(), finite])),
  state: z.enum(['pending', 'running', 'finished', 'failed', 'crashed', 'killed']).optional(),
  stateSequence: z.number().int().min(0).optional(),
  stateTime: finite.optional(),
  lastSeen: z.number(),
  /** Metric name → its series. */
  series: z.array(z.tuple([z.string().min(1).max(255), seriesStateSchema])),
  /** Stall automation id → its last row's time and step, and whether its stall is still to be judged. */
  stalls: z.array(z.tuple([z.string(), finite, z.number().int().nullable(), z.boolean()])).optional(),
});
export type SavedStall = [string, number, number | null, boolean];
export type SavedRun = z.output<typeof savedRunSchema>;
