import { z } from 'zod';

/** How long state is kept, on event time. Eviction bounds memory; what it changes is documented in README. */
export type Retention = {
  /** A run with no event for this long is released. @default 7 days */
  readonly runIdleMs?: number;
  /** A finished, failed or killed run is released this long after its last state, once its cooldowns have passed. @default 1 hour */
  readonly terminalRunMs?: number;
  /** Versions kept per collection; past it the oldest version (and its aliases and tags) is forgotten. @default 10_000 */
  readonly maxVersionsPerCollection?: number;
  /** Runs are swept after this many accepted events. @default 10_000 */
  readonly sweepEvery?: number;
};

export const DEFAULT_RETENTION: Required<Retention> = {
  runIdleMs: 7 * 24 * 3600_000,
  terminalRunMs: 3600_000,
  maxVersionsPerCollection: 10_000,
  sweepEvery: 10_000,
};

export const retentionSchema = z
  .object({
    runIdleMs: z.number().int().min(1).optional(),
    terminalRunMs: z.number().int().min(0).optional(),
    maxVersionsPerCollection: z.number().int().min(1).optional(),
    sweepEvery: z.number().int().min(1).optional(),
  })
  .strict();
