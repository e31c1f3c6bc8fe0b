import type { KV } from '@nats-io/kv';
import type { NatsServers } from '../cluster/cluster-options.js';
import { type Connection, openBucket, openConnection, readConfig } from '../cluster/connection.js';
import { DEFS } from '../cluster/layout.js';
import type { Clock } from '../index.js';
import type { AutomationsBackend } from './automations-backend.js';
import { clusterAutomations } from './cluster-automations.js';
import { clusterIntake, type IntakeCounts } from './cluster-intake.js';
import type { IntakeBackend } from './intake-backend.js';

/** The service in cluster mode: intake publishes to the cluster's log, management pushes its definitions. */
export interface ClusterMode {
  readonly nats: NatsServers;
  readonly partitions: number;
  readonly intake: IntakeBackend;
  readonly automations: AutomationsBackend;
  /** Events answered since this process started, by outcome. */
  readonly counts: Readonly<IntakeCounts>;
  /** False while the connection to the NATS server is down (the client reconnects by itself). */
  connected(): boolean;
  close(): Promise<void>;
}

/**
 * Connect to the cluster and check it was initialised; throws ClusterError (`unreachable`, `not_initialised`)
 * with a message saying what to do, before the service binds its port.
 */
export async function openClusterMode(nats: NatsServers, clock: Clock): Promise<ClusterMode> {
  const c: Connection = await openConnection(nats, 'ml-automations serve');
  let defs: KV;
  let partitions: number;
  try {
    partitions = (await readConfig(c)).partitions;
    defs = await openBucket(c, DEFS);
  } catch (error) {
    await c.nc.close();
    throw error;
  }
  let up = true;
  void (async () => {
    for await (const s of c.nc.status()) {
      if (s.type === 'disconnect') up = false;
      else if (s.type === 'reconnect') up = true;
    }
  })();
  const counts: IntakeCounts = { accepted: 0, rejected: 0, duplicates: 0 };
  return {
    nats,
    partitions,
    intake: clusterIntake(c, partitions, clock, counts),
    automations: clusterAutomations(nats, defs, clock),
    counts,
    connected: () => up && !c.nc.isClosed(),
    async close() {
      // Publishes awaiting their acknowledgement are answered first: drain flushes, then closes.
      await c.nc.drain().catch(() => c.nc.close());
    },
  };
}
