import { isErrorNamed } from './safe-read.js';

/**
 * Why a cluster call failed: the NATS server cannot be reached, the cluster was never initialised (or was
 * initialised with another partition count), or another writer changed what this call read (retry it).
 */
export type ClusterFailure = 'unreachable' | 'not_initialised' | 'partitions_mismatch' | 'conflict';

/** A cluster call (`ml-automations/cluster`) could not be carried out; `reason` says why. */
export class ClusterError extends Error {
  override readonly name = 'ClusterError' as const;
  readonly reason: ClusterFailure;

  constructor(reason: ClusterFailure, message: string) {
    super(message);
    this.reason = reason;
  }
}

export function isClusterError(error: unknown): error is ClusterError {
  return isErrorNamed(error, ClusterError.prototype, 'ClusterError');
}
