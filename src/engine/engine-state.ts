import { z } from 'zod';
import { forwardIssues } from '../schema/tagged.js';
import { partitionStateSchema } from '../state/partition-state.js';
import { checksumOf, checksumProblem } from '../state/state-checksum.js';
import { migrate, pendingDelivery, savedAutomation, stateV1, stateV2, stateV3 } from './state-migrations.js';

export const ENGINE_STATE_VERSION = 4;

const stateV4 = z.object({
  version: z.literal(4),
  /** `sha256:<hex>` of the canonical JSON of everything else: a restore refuses a snapshot edited since. */
  checksum: z.string(),
  /** The saved automations (each with its `sequence` in the order of saving), the id counter, the last revision. */
  definitions: z.object({
    revision: z.number().int().min(0),
    nextId: z.number().int().min(1),
    automations: z.array(savedAutomation),
  }),
  /** Each partition's runtime state: windows, cooldowns, run and collection state, seen event ids, counters. */
  partitions: z.array(partitionStateSchema).min(1),
  /** Deliveries not yet finished, with their attempts and due times: restored, they go on where they were. */
  deliveries: z.array(pendingDelivery),
});

/**
 * What `snapshot()` returns: versioned, checksummed JSON of all state. Version 4: the definitions, one state per
 * partition, and the pending deliveries. Versions 1 to 3 are migrated on load; unknown versions are refused.
 */
export type EngineState = z.output<typeof stateV4>;
type Content = Omit<EngineState, 'version' | 'checksum'>;

/** A snapshot of this content: made plain JSON (as a file would hold it), versioned and checksummed. */
export function sealState(content: Content): EngineState {
  const plain = JSON.parse(JSON.stringify({ version: ENGINE_STATE_VERSION, ...content })) as Omit<
    EngineState,
    'checksum'
  >;
  return {
    version: plain.version,
    checksum: checksumOf(plain),
    definitions: plain.definitions,
    partitions: plain.partitions,
    deliveries: plain.deliveries,
  };
}

const SCHEMAS = { 1: stateV1, 2: stateV2, 3: stateV3, 4: stateV4 } as const;

/**
 * Any known version, migrated to the current one; anything else is one clear issue at `version`. A snapshot of
 * version 3 or 4 is checked against its checksum before anything else: an edited one is refused as edited.
 */
export const engineStateSchema = z.unknown().transform((input, ctx): EngineState => {
  const version =
    typeof input === 'object' && input !== null ? (input as { version?: unknown }).version : undefined;
  const schema =
    typeof version === 'number' && Object.hasOwn(SCHEMAS, version)
      ? SCHEMAS[version as keyof typeof SCHEMAS]
      : undefined;
  if (schema === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['version'],
      message: `a snapshot of format version ${JSON.stringify(version)} cannot be read: this engine reads versions 1 to 4`,
      input: version,
      params: { code: 'invalid_value' },
    });
    return z.NEVER;
  }
  const problem =
    version === 3 || version === 4 ? checksumProblem(input as Record<string, unknown>) : undefined;
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
  const data = parsed.data;
  return data.version === 4 ? data : sealState(migrate(data));
});
