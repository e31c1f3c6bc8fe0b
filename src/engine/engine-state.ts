import { z } from 'zod';
import type { SequencedAutomation } from '../management/definitions.js';
import { artifactMetadataSchema } from '../schema/artifact-metadata.js';
import { forwardIssues } from '../schema/tagged.js';
import type { DeliveryRecord } from '../sinks/delivery/delivery-record.js';
import type { CoreState } from '../state/core-state.js';
import { checksumOf, checksumProblem } from '../state/state-checksum.js';

export const ENGINE_STATE_VERSION = 3;

/**
 * What `snapshot()` returns: versioned JSON of all state. Version 3: the automations (each with its `sequence`
 * in the order of saving), pending deliveries, and the core (windows, cooldowns, run and collection state with each version's
 * metadata, seen event ids, counters), with a `checksum` of all of it. Versions 1 and 2 (no checksum, no sequences) are
 * migrated on load; unknown versions are refused.
 */
export type EngineState = {
  readonly version: 3;
  /** `sha256:<hex>` of the canonical JSON of everything else: a restore refuses a snapshot edited since. */
  readonly checksum: string;
  readonly automations: readonly SequencedAutomation[];
  /** Deliveries not yet finished, with their attempts and due times: restored, they go on where they were. */
  readonly deliveries: readonly DeliveryRecord[];
  readonly core: CoreState;
};

const finite = z.number().refine(Number.isFinite, { message: 'must be finite' });
const index = z.number().int().min(0);
const text = z.string().max(4096);

const savedAutomation = z.looseObject({
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

const pendingDelivery = z.looseObject({
  firingId: z.string().min(1),
  automationId: z.string().min(1),
  automationName: z.string(),
  integration: z.string().optional(),
  status: z.literal('pending'),
  attempts: z.array(z.looseObject({ time: finite, durationMs: finite, outcome: z.string() })),
  publishTime: finite,
  dueTime: finite.optional(),
  firing: z.looseObject({
    id: z.string(),
    automationId: z.string(),
    event: z.looseObject({ id: z.string(), source: z.string() }),
  }),
});

const aggregateState = z.object({
  kind: z.enum(['sum', 'min', 'max', 'moments']),
  size: z.number().int().min(1).max(10_000),
  lag: z.number().int().min(0).max(10_000),
  start: index,
  numbers: z.array(finite).max(10_000),
});

const seriesState = z
  .object({
    lastStep: z.number().int().min(-1),
    ring: z.object({
      capacity: z.number().int().min(1).max(20_002),
      count: index,
      values: z.array(finite).max(20_002),
    }),
    aggregates: z.array(aggregateState),
    bindings: z.array(
      z.object({ automationId: z.string().min(1), firstIndex: index, aggregates: z.array(z.string()) }),
    ),
  })
  .refine((s) => s.ring.values.length <= Math.min(s.ring.count, s.ring.capacity), {
    message: 'ring holds more values than it can',
  });

const runState = z.object({
  entity: text,
  project: text,
  runId: text,
  runName: z.string().max(1024).optional(),
  user: text.optional(),
  lastFired: z.array(z.tuple([z.string(), finite])),
  state: z.enum(['pending', 'running', 'finished', 'failed', 'crashed', 'killed']).optional(),
  stateSequence: index.optional(),
  stateTime: finite.optional(),
  lastSeen: z.number(),
  series: z.array(z.tuple([z.string().min(1).max(255), seriesState])),
});

const place = z.union([
  z.object({ entity: text, project: text, collection: text }),
  z.object({ entity: text, registry: text, collection: text }),
]);

const collectionState = z.object({
  place,
  versions: z.array(index),
  aliases: z.array(z.tuple([z.string(), index])),
  tags: z.array(z.tuple([index, z.array(z.string())])),
  collectionTags: z.array(z.string()),
  // Added without a version bump: a snapshot from before it has none, and reads as no metadata known.
  metadata: z.array(z.tuple([index, artifactMetadataSchema])).optional(),
});

const count = index;
const coreState = z.object({
  nextId: z.number().int().min(1),
  // Added without a version bump: a snapshot from before it has none, and reads as revision 0.
  revision: index.optional(),
  runs: z.array(runState),
  collections: z.array(collectionState),
  seen: z.array(z.tuple([z.string(), z.number()])),
  counters: z.object({
    received: count,
    accepted: count,
    rejected: count,
    duplicates: count,
    stale: count,
    firings: count,
    suppressed: count,
    evictions: count.default(0),
  }),
  perAutomation: z.array(z.tuple([z.string(), z.object({ firings: count, suppressed: count })])),
});

const EMPTY_CORE: CoreState = {
  nextId: 1,
  runs: [],
  collections: [],
  seen: [],
  counters: {
    received: 0,
    accepted: 0,
    rejected: 0,
    duplicates: 0,
    stale: 0,
    firings: 0,
    suppressed: 0,
    evictions: 0,
  },
  perAutomation: [],
};

const stateV1 = z.object({
  version: z.literal(1),
  automations: z.array(savedAutomation),
  deliveries: z.array(pendingDelivery).optional(),
});

const stateV2 = z.object({
  version: z.literal(2),
  automations: z.array(savedAutomation),
  deliveries: z.array(pendingDelivery),
  core: coreState,
});

const stateV3 = stateV2.extend({ version: z.literal(3), checksum: z.string() });

/** A snapshot of this content: made plain JSON (as a file would hold it), versioned and checksummed. */
export function sealState(content: Pick<EngineState, 'automations' | 'deliveries' | 'core'>): EngineState {
  const plain = JSON.parse(JSON.stringify({ version: ENGINE_STATE_VERSION, ...content })) as Omit<
    EngineState,
    'checksum'
  >;
  return {
    version: plain.version,
    checksum: checksumOf(plain),
    automations: plain.automations,
    deliveries: plain.deliveries,
    core: plain.core,
  };
}

/**
 * Any known version, migrated to the current one; anything else is one clear issue at `version`. A version 3
 * snapshot is checked against its checksum before anything else: an edited one is refused as edited.
 */
export const engineStateSchema = z.unknown().transform((input, ctx): EngineState => {
  const version =
    typeof input === 'object' && input !== null ? (input as { version?: unknown }).version : undefined;
  const schema = version === 1 ? stateV1 : version === 2 ? stateV2 : version === 3 ? stateV3 : undefined;
  if (schema === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['version'],
      message: `a snapshot of format version ${JSON.stringify(version)} cannot be read: this engine reads versions 1, 2 and 3`,
      input: version,
      params: { code: 'invalid_value' },
    });
    return z.NEVER;
  }
  const problem = version === 3 ? checksumProblem(input as Record<string, unknown>) : undefined;
  if (problem !== undefined) {
    const { code, ...rest } = problem;
    ctx.addIssue({ code: 'custom', ...rest, params: { code } });
    return z.NEVER;
  }
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    forwardIssues(parsed.error.issues, ctx);
    return z.NEVER;
  }
  const data = parsed.data as unknown as Partial<Omit<EngineState, 'version'>> & { version: 1 | 2 | 3 };
  // Version 1 kept no core state: runs start fresh, as they would have then. Versions before 3 kept no
  // sequences: the registry numbers their automations in the order they are listed, as they were saved.
  const content = {
    automations: data.automations ?? [],
    deliveries: data.deliveries ?? [],
    core: data.version !== 1 && data.core !== undefined ? data.core : EMPTY_CORE,
  };
  return data.version === 3 && data.checksum !== undefined
    ? { version: 3, checksum: data.checksum, ...content }
    : sealState(content);
});
