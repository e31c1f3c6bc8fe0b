import { z } from 'zod';
import type { SequencedAutomation } from '../management/definitions.js';
import { deliveryRecordSchema } from '../sinks/delivery/deliverer-inputs.js';
import type { DeliveryRecord } from '../sinks/delivery/delivery-record.js';
import { newCounters } from '../state/counters.js';
import { type PartitionState, partitionStateSchema } from '../state/partition-state.js';

// Snapshots of versions 1 to 3, read as they were written and turned into version 4's content.

const finite = z.number().refine(Number.isFinite, { message: 'must be finite' });

const savedAutomationShape = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  enabled: z.boolean(),
  cooldownMs: z.number().int().min(0),
  sequence: z.number().int().min(0).optional(),
  createdAt: finite,
  updatedAt: finite,
  event: z.unknown(),
  action: z.unknown(),
});

// A snapshot holds pending deliveries only: the deliverer's record schema, narrowed to them.
const pendingDeliveryShape = deliveryRecordSchema.extend({ status: z.literal('pending') });

// The envelope of each saved automation and pending delivery is checked here, and typed as its owner's record:
// the whole of each is read again, strictly, by that owner (management restores automations, the deliverer
// restores deliveries), before anything is built.
export const savedAutomation = savedAutomationShape.transform((a) => a as unknown as SequencedAutomation);
export const pendingDelivery = pendingDeliveryShape.transform((d) => d as unknown as DeliveryRecord);

/** Versions 2 and 3 kept one core: one partition's state, with the definitions' counter and revision. */
const coreState = partitionStateSchema
  .pick({ runs: true, collections: true, seen: true, counters: true, perAutomation: true })
  .extend({
    nextId: z.number().int().min(1),
    // Added without a version bump: a snapshot from before it has none, and reads as revision 0.
    revision: z.number().int().min(0).optional(),
  });

export const stateV1 = z.object({
  version: z.literal(1),
  automations: z.array(savedAutomation),
  deliveries: z.array(pendingDelivery).optional(),
});

export const stateV2 = z.object({
  version: z.literal(2),
  automations: z.array(savedAutomation),
  deliveries: z.array(pendingDelivery),
  core: coreState,
});

export const stateV3 = stateV2.extend({ version: z.literal(3), checksum: z.string() });

type Older = z.output<typeof stateV1> | z.output<typeof stateV2> | z.output<typeof stateV3>;

/** An older snapshot's content as version 4 holds it: one partition, 0 of 1. */
export function migrate(older: Older) {
  // Version 1 kept no core state: runs start fresh, as they would have then.
  const core = older.version === 1 ? undefined : older.core;
  const revision = core?.revision ?? 0;
  let watermark = Number.NEGATIVE_INFINITY;
  for (const run of core?.runs ?? []) if (run.lastSeen > watermark) watermark = run.lastSeen;
  const partition: PartitionState = {
    partition: 0,
    of: 1,
    revision,
    // They kept no watermark: the latest run event is what they restored it from.
    ...(Number.isFinite(watermark) && { watermark }),
    sinceSweep: 0,
    runs: core?.runs ?? [],
    collections: core?.collections ?? [],
    seen: core?.seen ?? [],
    counters: core?.counters ?? newCounters(),
    perAutomation: core?.perAutomation ?? [],
  };
  return {
    // Versions before 3 kept no sequences: management numbers their automations in the order they are listed.
    definitions: { revision, nextId: core?.nextId ?? 1, automations: older.automations },
    partitions: [partition],
    deliveries: older.deliveries ?? [],
  };
}
