import type { KV } from '@nats-io/kv';
import type { Connection } from './connection.js';
import { MEMBERS } from './layout.js';

/** What a worker's heartbeat in `mla-members` says: which partitions it runs, and how far each has got. */
export type Heartbeat = { readonly id: string; readonly partitions: Record<string, number> };

const PREFIX = `$KV.${MEMBERS}.`;

/**
 * The heartbeats of the live workers (those that beat within the bucket's time to live and did not leave),
 * read from the stream's per-subject state and one get per member: no consumer is created, so this keeps
 * working while a NATS cluster elects leaders.
 */
export async function liveMembers(c: Connection, members: KV): Promise<Heartbeat[]> {
  const info = await c.jsm.streams.info(`KV_${MEMBERS}`, { subjects_filter: `${PREFIX}>` });
  const out: Heartbeat[] = [];
  for (const subject of Object.keys(info.state.subjects ?? {})) {
    const e = await members.get(subject.slice(PREFIX.length));
    if (e !== null && e.operation === 'PUT') out.push(e.json<Heartbeat>());
  }
  return out;
}
