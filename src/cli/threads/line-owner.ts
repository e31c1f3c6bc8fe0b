import { fnv1a, partitionKey, partitionOf, runKey } from '../../core/partition-key.js';

// Which thread of a replay owns a line: the one its partition (SEMANTICS §9) falls to. Most lines are run events
// whose run can be read from the bytes, so a thread skips the others' lines without decoding or parsing them.

const TYPE = Buffer.from('"type":"run.');
const ENTITY = Buffer.from('"entity":"');
const PROJECT = Buffer.from('"project":"');
const RUN_ID = Buffer.from('"runId":"');
const METRICS = Buffer.from('metrics"');
const STATE = Buffer.from('state"');
const UPDATED = Buffer.from('updated"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const FNV_PRIME = 0x01000193;
const RUN_TYPES = new Set(['run.metrics', 'run.state', 'run.updated']);

/** FNV-1a of `run\0`, where every run key starts (core/partition-key.ts `runKey`). */
const RUN_PREFIX = [...Buffer.from('run\u0000')].reduce((h, b) => Math.imul(h ^ b, FNV_PRIME), 0x811c9dc5);

/**
 * The partition of a line's run, read from its bytes: the first `"type":"run.…"`, `"entity":"`, `"project":"`
 * and `"runId":"`, each value plain (no escape, not empty). -1 when the bytes do not say so plainly; they may
 * still mislead (a key of the same name inside another object), which `ownerOfEvent` on the parsed line catches.
 * The values' bytes are the UTF-8 of the strings JSON.parse makes of them (unless they are not UTF-8 at all,
 * which the check catches too), so the hash is the one `partitionOf(runKey(...))` computes.
 */
export function ownerOfLine(bytes: Buffer, start: number, end: number, partitions: number): number {
  // One pass over the bytes, stopping at the first of each key (Buffer.indexOf costs a call into C++ each time:
  // more than scanning the few hundred bytes before the metrics). Each key starts with a quote, so looking at the
  // quotes finds the same first places that searching for each key would.
  let type = -1;
  let entity = -1;
  let project = -1;
  let runId = -1;
  for (let i = start; i < end; i++) {
    if (bytes[i] !== QUOTE) continue;
    const next = bytes[i + 1];
    if (next === 0x74 && type < 0 && startsAt(bytes, i, end, TYPE)) type = i + TYPE.length;
    else if (next === 0x65 && entity < 0 && startsAt(bytes, i, end, ENTITY)) entity = i + ENTITY.length;
    else if (next === 0x70 && project < 0 && startsAt(bytes, i, end, PROJECT)) project = i + PROJECT.length;
    else if (next === 0x72 && runId < 0 && startsAt(bytes, i, end, RUN_ID)) runId = i + RUN_ID.length;
    else continue;
    if (type >= 0 && entity >= 0 && project >= 0 && runId >= 0) break;
  }
  if (type < 0 || entity < 0 || project < 0 || runId < 0) return -1;
  if (
    !startsAt(bytes, type, end, METRICS) &&
    !startsAt(bytes, type, end, STATE) &&
    !startsAt(bytes, type, end, UPDATED)
  )
    return -1;
  let h = hashValue(bytes, entity, end, RUN_PREFIX);
  // The NUL between the key's parts.
  if (h !== undefined) h = hashValue(bytes, project, end, Math.imul(h, FNV_PRIME));
  if (h !== undefined) h = hashValue(bytes, runId, end, Math.imul(h, FNV_PRIME));
  return h === undefined ? -1 : (h >>> 0) % partitions;
}

/** FNV-1a on from `h0` over the plain string value that starts at `from`; undefined if empty or escaped. */
function hashValue(bytes: Buffer, from: number, end: number, h0: number): number | undefined {
  let h = h0;
  for (let j = from; j < end; j++) {
    const b = bytes[j] as number;
    if (b === QUOTE) return j === from ? undefined : h;
    if (b === BACKSLASH) return undefined;
    h = Math.imul(h ^ b, FNV_PRIME);
  }
  return undefined;
}

function startsAt(bytes: Buffer, at: number, end: number, word: Buffer): boolean {
  if (at + word.length > end) return false;
  for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word[i]) return false;
  return true;
}

type RunShape = { readonly type?: unknown; readonly data?: unknown };

/**
 * The partition of a parsed event, as the engine routes it: `partitionOf(partitionKey(event))`, with run events
 * read directly (JSON.parse made them: no accessor runs). An event without a key goes to partition 0: the engine
 * refuses it before routing, so the thread that counts it does not matter.
 */
export function ownerOfEvent(event: unknown, partitions: number): number {
  if (typeof event === 'object' && event !== null && RUN_TYPES.has((event as RunShape).type as string)) {
    const data = (event as RunShape).data as Record<string, unknown> | null | undefined;
    const entity = data?.['entity'];
    const project = data?.['project'];
    const runId = data?.['runId'];
    if (plain(entity) && plain(project) && plain(runId))
      return fnv1a(runKey(entity, project, runId)) % partitions;
  }
  try {
    return partitionOf(partitionKey(event), partitions);
  } catch {
    return 0;
  }
}

const plain = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
