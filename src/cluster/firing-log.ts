import { JetStreamApiError } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { Firing } from '../core/firing.js';
import type { Connection } from './connection.js';
import { encodeJson } from './json-codec.js';
import { FIRINGS, firingSubject, TAIL_HEADER } from './layout.js';

/** A place in a partition's event log: the message's sequence, and the firing's 1-based index among its firings. */
export type SourcePosition = { readonly seq: number; readonly index: number };

/** The last record of a partition's firing log: its sequence in `MLA_FIRE` (0: none) and its last firing's place. */
export type FiringTail = { readonly seq: number; readonly at?: SourcePosition };

/** The server's code for a publish whose expected last subject sequence was not the last. */
const WRONG_LAST_SEQUENCE = 10071;

export async function readTail(c: Connection, partition: number): Promise<FiringTail> {
  const last = await c.jsm.streams.getMessage(FIRINGS, { last_by_subj: firingSubject(partition) });
  if (last === null) return { seq: 0 };
  const text = last.header.get(TAIL_HEADER);
  const [seq, index] = text.split('.').map(Number);
  if (seq === undefined || index === undefined || !Number.isSafeInteger(seq) || !Number.isSafeInteger(index))
    return { seq: last.seq };
  return { seq: last.seq, at: { seq, index } };
}

/** Whether the firing at `at` was logged already: at or before the tail. */
export function logged(tail: FiringTail, seq: number, index: number): boolean {
  const at = tail.at;
  return at !== undefined && (seq < at.seq || (seq === at.seq && index <= at.index));
}

/**
 * Append firings as one record, fenced: only if the partition's last record is still `tail.seq`, and never twice
 * (`Nats-Msg-Id` is the first firing's id). Resolves to the new tail, or undefined when another owner wrote
 * first: this writer's view is stale and it must stop. `fenced: false` is for the test that shows why fencing is needed.
 */
export async function appendFirings(
  c: Connection,
  partition: number,
  firings: readonly Firing[],
  tail: FiringTail,
  last: SourcePosition,
  fenced = true,
): Promise<FiringTail | undefined> {
  const h = natsHeaders();
  h.set(TAIL_HEADER, `${last.seq}.${last.index}`);
  const options = fenced
    ? { headers: h, msgID: (firings[0] as Firing).id, expect: { lastSubjectSequence: tail.seq } }
    : { headers: h };
  try {
    const ack = await c.js.publish(firingSubject(partition), encodeJson(firings), options);
    if (ack.duplicate) return undefined;
    return { seq: ack.seq, at: last };
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE) return undefined;
    throw error;
  }
}
