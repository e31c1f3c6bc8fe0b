import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { parseInput } from '../definitions/parse.js';
import { ClusterError } from '../errors/cluster-error.js';
import { type InitClusterOptions, initClusterSchema } from './cluster-options.js';
import { type ClusterConfig, type Connection, withConnection } from './connection.js';
import {
  CONFIG_KEY,
  DEFS,
  DUPLICATE_WINDOW_NS,
  EVENTS,
  FIRINGS,
  LEASES,
  MEMBERS,
  SNAPSHOTS,
} from './layout.js';

/** What the cluster was created with: what `initCluster` resolves to. */
export type ClusterInfo = ClusterConfig & { readonly created: boolean };

/**
 * Create the cluster's streams and buckets on the server: the event log (`MLA_EV`), the firing log
 * (`MLA_FIRE`), and the `mla-defs`, `mla-leases`, `mla-members` and `mla-snap` buckets. Calling it again is
 * harmless; with another partition count it fails with ClusterError('partitions_mismatch').
 */
export async function initCluster(options: InitClusterOptions): Promise<ClusterInfo> {
  const o = parseInput(initClusterSchema, options, 'initCluster options');
  const wanted = {
    partitions: o.partitions ?? 64,
    replicas: o.replicas ?? 1,
    leaseTtlMs: o.leaseTtlMs ?? 10_000,
  };
  return withConnection(o.nats, async (c) => {
    const defs = await c.kvm.create(DEFS, { replicas: wanted.replicas, history: 1 });
    const entry = await defs.get(CONFIG_KEY);
    if (entry !== null && entry.operation === 'PUT') {
      const had = entry.json<ClusterInfo>();
      if (had.partitions !== wanted.partitions && options.partitions !== undefined)
        throw new ClusterError(
          'partitions_mismatch',
          `the cluster was initialised with ${had.partitions} partitions, not ${wanted.partitions}; the count is fixed`,
        );
      await createLayout(c, had);
      return { ...had, created: false };
    }
    await createLayout(c, wanted);
    // Create, not put: two inits at once agree on one configuration.
    try {
      await defs.create(CONFIG_KEY, JSON.stringify(wanted));
    } catch {
      const had = (await defs.get(CONFIG_KEY))?.json<ClusterInfo>();
      if (had !== undefined) return { ...had, created: false };
    }
    return { ...wanted, created: true };
  });
}

async function createLayout(c: Connection, config: ClusterConfig): Promise<void> {
  const { replicas, leaseTtlMs } = config;
  const stream = { storage: StorageType.File, num_replicas: replicas, duplicate_window: DUPLICATE_WINDOW_NS };
  for (const [name, subjects] of [
    [EVENTS, ['mla.ev.*']],
    [FIRINGS, ['mla.fire.*']],
  ] as const) {
    try {
      await c.jsm.streams.info(name);
    } catch {
      await c.jsm.streams.add({
        ...stream,
        name,
        subjects: [...subjects],
        retention: RetentionPolicy.Limits,
      });
    }
  }
  await c.kvm.create(LEASES, { replicas, history: 1, ttl: leaseTtlMs });
  await c.kvm.create(MEMBERS, { replicas, history: 1, ttl: leaseTtlMs });
  await c.kvm.create(SNAPSHOTS, { replicas, history: 1 });
}
