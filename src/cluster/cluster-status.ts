import { z } from 'zod';
import { parseInput } from '../definitions/parse.js';
import type { ClusterConnectionOptions } from './cluster-options.js';
import { natsSchema } from './cluster-options.js';
import { openBucket, readConfig, withConnection } from './connection.js';
import { readHead } from './definitions-log.js';
import { DEFS, EVENTS, eventSubject, LEASES, MEMBERS, SNAPSHOTS } from './layout.js';
import { liveMembers } from './members.js';
import { Leases } from './ownership.js';
import { readSnapshot } from './snapshot-store.js';

/** One partition as `clusterStatus` sees it. */
export type PartitionStatus = {
  readonly partition: number;
  /** The worker holding its lease, if any. */
  readonly owner?: string;
  /** The last message of its event subject (0: none). */
  readonly lastSeq: number;
  /** How far its owner has applied, by its last heartbeat. */
  readonly applied?: number;
  /** Messages not yet applied: `lastSeq - applied` (or since the snapshot, with no owner). */
  readonly lag: number;
  /** Where its last snapshot was taken (0: none). */
  readonly snapshotSeq: number;
};

export type ClusterStatus = {
  readonly partitions: number;
  readonly leaseTtlMs: number;
  /** The definitions revision (0 before any push). */
  readonly revision: number;
  readonly workers: readonly { readonly id: string; readonly partitions: number }[];
  readonly byPartition: readonly PartitionStatus[];
};

/** Partitions, owners, lag and last snapshots, as the leases, heartbeats, logs and snapshots say now. */
export async function clusterStatus(options: ClusterConnectionOptions): Promise<ClusterStatus> {
  const o = parseInput(z.object({ nats: natsSchema }).strict(), options, 'clusterStatus options');
  return withConnection(o.nats, async (c) => {
    const config = await readConfig(c);
    const [defs, leases, members, snapshots] = await Promise.all(
      [DEFS, LEASES, MEMBERS, SNAPSHOTS].map((b) => openBucket(c, b)),
    );
    if (defs === undefined || leases === undefined || members === undefined || snapshots === undefined)
      throw new Error('unreachable');
    const beats = await liveMembers(c, members);
    const owners = await new Leases(leases, 'status').owners(config.partitions);
    const byPartition: PartitionStatus[] = [];
    for (let p = 0; p < config.partitions; p++) {
      const last = await c.jsm.streams.getMessage(EVENTS, { last_by_subj: eventSubject(p) });
      const lastSeq = last?.seq ?? 0;
      const owner = owners[p];
      const applied = beats.find((b) => b.id === owner)?.partitions[String(p)];
      const snapshotSeq = (await readSnapshot(snapshots, p))?.snapshot.lastSeq ?? 0;
      byPartition.push({
        partition: p,
        ...(owner !== undefined && { owner }),
        lastSeq,
        ...(applied !== undefined && { applied }),
        lag: Math.max(0, lastSeq - (applied ?? snapshotSeq)),
        snapshotSeq,
      });
    }
    const head = await readHead(defs);
    return {
      partitions: config.partitions,
      leaseTtlMs: config.leaseTtlMs,
      revision: head?.head.revision ?? 0,
      workers: beats.map((b) => ({ id: b.id, partitions: Object.keys(b.partitions).length })),
      byPartition,
    };
  });
}
