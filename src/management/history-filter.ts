import { z } from 'zod';
import type { DeliveryStatus } from '../sinks/delivery/delivery-record.js';

export type HistoryFilter = {
  readonly automationId?: string;
  readonly status?: DeliveryStatus;
  /** At most this many, newest first. */
  readonly limit?: number;
};

export const historyFilterSchema = z
  .object({
    automationId: z.string().min(1).optional(),
    status: z.enum(['pending', 'finished', 'failed', 'skipped']).optional(),
    limit: z.number().int().min(1).optional(),
  })
  .strict();
