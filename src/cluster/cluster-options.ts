import { z } from 'zod';

/** A NATS server URL (`nats://127.0.0.1:4222`), or several of one cluster. */
export type NatsServers = string | readonly string[];

const url = z.string().min(1);
export const natsSchema = z.union([url, z.array(url).min(1)]);
export const partitionsSchema = z.number().int().min(1).max(4096);

/** Options every cluster call takes: where the server is. */
export interface ClusterConnectionOptions {
  /** The NATS server(s). @example 'nats://127.0.0.1:4222' */
  readonly nats: NatsServers;
}

export interface InitClusterOptions extends ClusterConnectionOptions {
  /** How many partitions; fixed when the cluster is created. @default 64 */
  readonly partitions?: number;
  /** Replicas of every stream and bucket (3 on a 3-node NATS cluster). @default 1 */
  readonly replicas?: number;
  /** How long a partition lease and a worker heartbeat live without renewal: how soon a dead worker's
   * partitions move. Fixed when the cluster is created. @default 10000 */
  readonly leaseTtlMs?: number;
}

export const initClusterSchema = z
  .object({
    nats: natsSchema,
    partitions: partitionsSchema.optional(),
    replicas: z.number().int().min(1).max(5).optional(),
    leaseTtlMs: z.number().int().min(300).max(3_600_000).optional(),
  })
  .strict();
