import { z } from 'zod';
import type { Clock } from '../clock/clock.js';
import type { Issue } from '../errors/issue.js';
import type { AnyIntegration } from '../sinks/destinations.js';
import { type ClusterConnectionOptions, natsSchema } from './cluster-options.js';

export interface WorkerOptions extends ClusterConnectionOptions {
  /** Integrations by the name actions use, for the delivery stage. @default {} */
  readonly integrations?: Readonly<Record<string, AnyIntegration>>;
  /** Also run a delivery stage: read the firing log and deliver each firing (at least once). @default false */
  readonly deliver?: boolean;
  /** Delivery timing and snapshot pacing; the firings depend only on event time. @default the system clock */
  readonly clock?: Clock;
  /** This worker's name in leases and heartbeats. @default a random one */
  readonly id?: string;
  /** How long a new worker waits before taking partitions, so the others see it first. @default leaseTtlMs / 2 */
  readonly settleMs?: number;
  /** Snapshot each owned partition at most this often (and when handing it back). @default 1000 */
  readonly snapshotEveryMs?: number;
  /** Told of every problem: bad events, lost leases, server errors, failed deliveries. @default ignore them */
  readonly onIssue?: (issue: Issue) => void;
}

const fn = z.custom<(issue: Issue) => void>((f) => typeof f === 'function', {
  message: 'expected a function',
});

export const workerOptionsSchema = z
  .object({
    nats: natsSchema,
    integrations: z.record(z.string(), z.unknown()).optional(),
    deliver: z.boolean().optional(),
    clock: z.custom<Clock>((c) => typeof (c as Clock | undefined)?.now === 'function').optional(),
    id: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9_.-]+$/)
      .optional(),
    settleMs: z.number().int().min(0).max(600_000).optional(),
    snapshotEveryMs: z.number().int().min(0).max(3_600_000).optional(),
    onIssue: fn.optional(),
  })
  .strict();

/** Test only: a worker that appends without fencing, to show that the fencing is what keeps the logs right. */
export const UNFENCED: unique symbol = Symbol('ml-automations.cluster.unfenced');
