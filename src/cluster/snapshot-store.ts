import { gunzipSync, gzipSync } from 'node:zlib';
import type { KV } from '@nats-io/kv';
import { type PartitionState, partitionStateSchema } from '../state/partition-state.js';
import { snapshotKey } from './layout.js';

/** A partition's snapshot: its state after the event message at `lastSeq`, every firing up to there logged. */
export type PartitionSnapshot = { readonly lastSeq: number; readonly state: PartitionState };

/** The newest snapshot of a partition, validated, with its bucket revision; undefined if none was written. */
export async function readSnapshot(
  snapshots: KV,
  partition: number,
): Promise<{ snapshot: PartitionSnapshot; revision: number } | undefined> {
  const entry = await snapshots.get(snapshotKey(partition));
  if (entry === null || entry.operation !== 'PUT') return undefined;
  const json = JSON.parse(gunzipSync(entry.value).toString('utf8')) as { lastSeq: unknown; state: unknown };
  const state = partitionStateSchema.parse(json.state);
  if (typeof json.lastSeq !== 'number')
    throw new Error(`the snapshot of partition ${partition} has no lastSeq`);
  return { snapshot: { lastSeq: json.lastSeq, state }, revision: entry.revision };
}

/**
 * Write a snapshot by compare-and-set on the revision this writer last saw; snapshots only move forward, so a
 * stale writer never puts an older one over a newer one. Resolves to the revision now stored.
 */
export async function writeSnapshot(
  snapshots: KV,
  partition: number,
  snapshot: PartitionSnapshot,
  seen: number | undefined,
): Promise<number | undefined> {
  const bytes = gzipSync(JSON.stringify(snapshot));
  let expected = seen;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return expected === undefined
        ? await snapshots.create(snapshotKey(partition), bytes)
        : await snapshots.update(snapshotKey(partition), bytes, expected);
    } catch {
      const current = await readSnapshot(snapshots, partition);
      if (current !== undefined && current.snapshot.lastSeq >= snapshot.lastSeq) return current.revision;
      expected = current?.revision;
    }
  }
  return expected;
}
