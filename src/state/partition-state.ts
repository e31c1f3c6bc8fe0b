import { z } from 'zod';
import { savedCountGroupSchema } from './count-book.js';
import { countersSchema } from './counters.js';
import { savedCollectionSchema } from './saved-collection.js';
import { savedRunSchema } from './saved-run.js';
import { savedPeriodRunSchema, savedScheduleSchema } from './schedule-book.js';

const index = z.number().int().min(0);
const count = index;

/**
 * One partition's state in a snapshot: which of how many it is, the definitions revision it had applied, where it
 * was in its log (a cluster's; an engine keeps none), its sweep clock, and its runs, collections, seen event ids
 * and counters. Definitions and deliveries are beside it in the snapshot, not in it.
 */
export const partitionStateSchema = z.object({
  partition: index,
  of: z.number().int().min(1),
  revision: index,
  lastOffset: index.optional(),
  /** The latest event time it accepted (absent before any): runs are released on it. */
  watermark: z.number().refine(Number.isFinite, { message: 'must be finite' }).optional(),
  /** Events accepted since its last sweep: a restored partition sweeps where it would have. */
  sinceSweep: count,
  runs: z.array(savedRunSchema),
  collections: z.array(savedCollectionSchema),
  /** `source \0 id` of each event accepted, with its time, oldest first. */
  seen: z.array(z.tuple([z.string(), z.number()])),
  counters: countersSchema,
  perAutomation: z.array(z.tuple([z.string(), z.object({ firings: count, suppressed: count })])),
  /** Count triggers' groups (§4.1), shared by the partitions of an engine: partition 0 keeps them. */
  counts: z.array(savedCountGroupSchema).optional(),
  /** Schedules' clocks (§4.3), kept by partition 0; each partition's open periods of the runs it holds. */
  schedules: z.array(savedScheduleSchema).optional(),
  periods: z.array(savedPeriodRunSchema).optional(),
});
export type PartitionState = z.output<typeof partitionStateSchema>;
