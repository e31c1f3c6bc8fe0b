import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ClusterError } from '../errors/cluster-error.js';
import type { NatsServers } from './cluster-options.js';
import { CONFIG_KEY, DEFS } from './layout.js';

/** An open connection to the cluster's server, with its JetStream and key-value handles. */
export interface Connection {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly kvm: Kvm;
}

/** The configuration `initCluster` wrote. */
export type ClusterConfig = {
  readonly partitions: number;
  readonly replicas: number;
  readonly leaseTtlMs: number;
};

const text = (servers: NatsServers): string => (typeof servers === 'string' ? servers : servers.join(','));

/** Connect, failing with ClusterError('unreachable') naming the server when it cannot be reached. */
export async function openConnection(servers: NatsServers, name = 'ml-automations'): Promise<Connection> {
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: typeof servers === 'string' ? servers : [...servers],
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      timeout: 5000,
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ClusterError('unreachable', `cannot reach the NATS server at ${text(servers)}: ${why}`);
  }
  try {
    const jsm = await jetstreamManager(nc, { timeout: 10_000 });
    return { nc, js: jetstream(nc, { timeout: 10_000 }), jsm, kvm: new Kvm(nc) };
  } catch (error) {
    await nc.close();
    const why = error instanceof Error ? error.message : String(error);
    throw new ClusterError(
      'unreachable',
      `the NATS server at ${text(servers)} has no JetStream (-js): ${why}`,
    );
  }
}

/** Open a bucket that must exist: the cluster was initialised. */
export async function openBucket(c: Connection, bucket: string): Promise<KV> {
  try {
    await c.jsm.streams.info(`KV_${bucket}`);
  } catch {
    throw notInitialised();
  }
  return c.kvm.open(bucket);
}

/** The partition count and replicas `initCluster` chose. */
export async function readConfig(c: Connection): Promise<ClusterConfig> {
  const defs = await openBucket(c, DEFS);
  const entry = await defs.get(CONFIG_KEY);
  if (entry === null || entry.operation !== 'PUT') throw notInitialised();
  return entry.json<ClusterConfig>();
}

export function notInitialised(): ClusterError {
  return new ClusterError(
    'not_initialised',
    'the cluster is not initialised on this server: run `ml-automations cluster init --nats URL` (initCluster) first',
  );
}

/** Run `work` on a fresh connection and close it after. */
export async function withConnection<T>(
  servers: NatsServers,
  work: (c: Connection) => Promise<T>,
): Promise<T> {
  const c = await openConnection(servers);
  try {
    return await work(c);
  } finally {
    await c.nc.close();
  }
}
