import { z } from 'zod';

// A series as a snapshot keeps it: the schema is the source of the types, so what is saved is what is checked.

const finite = z.number().refine(Number.isFinite, { message: 'must be finite' });
const index = z.number().int().min(0);

/** An aggregate's saved state: its spec, where it started, and its running numbers. */
export const aggregateStateSchema = z.object({
  kind: z.enum(['sum', 'min', 'max', 'moments']),
  size: z.number().int().min(1).max(10_000),
  lag: z.number().int().min(0).max(10_000),
  start: index,
  numbers: z.array(finite).max(10_000),
});
export type AggregateState = z.output<typeof aggregateStateSchema>;

/** A series as saved: bindings by automation id, since watchers are rebuilt on restore. */
export const seriesStateSchema = z
  .object({
    lastStep: z.number().int().min(-1),
    ring: z.object({
      capacity: z.number().int().min(1).max(20_002),
      count: index,
      values: z.array(finite).max(20_002),
    }),
    aggregates: z.array(aggregateStateSchema),
    bindings: z.array(
      z.object({ automationId: z.string().min(1), firstIndex: index, aggregates: z.array(z.string()) }),
    ),
  })
  .refine((s) => s.ring.values.length <= Math.min(s.ring.count, s.ring.capacity), {
    message: 'ring holds more values than it can',
  });
export type SeriesState = z.output<typeof seriesStateSchema>;
