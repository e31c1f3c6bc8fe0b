import type { KV } from '@nats-io/kv';
import { leaseKey } from './layout.js';

/**
 * Partition leases in `mla-leases` (CLUSTER.md, "Ownership"): taken by create (which fails while another holds
 * the key), renewed by revision-checked update, given back by a revision-checked delete. Leases only say who
 * should work on a partition; the fenced firing log decides what is written.
 */
export class Leases {
  readonly #bucket: KV;
  readonly #worker: string;

  constructor(bucket: KV, worker: string) {
    this.#bucket = bucket;
    this.#worker = worker;
  }

  /** The lease's revision, or undefined while another worker holds it. */
  async take(partition: number): Promise<number | undefined> {
    try {
      return await this.#bucket.create(leaseKey(partition), this.#worker);
    } catch {
      return undefined;
    }
  }

  /** The new revision, or undefined when the lease was lost (expired, or taken by another). */
  async renew(partition: number, revision: number): Promise<number | undefined> {
    try {
      return await this.#bucket.update(leaseKey(partition), this.#worker, revision);
    } catch {
      return undefined;
    }
  }

  /** Give the lease back, if it is still this one. */
  async release(partition: number, revision: number): Promise<void> {
    try {
      await this.#bucket.delete(leaseKey(partition), { previousSeq: revision });
    } catch {
      // Already expired or taken: nothing to give back.
    }
  }

  /** Who holds each partition's lease now. */
  async owners(partitions: number): Promise<(string | undefined)[]> {
    const out: (string | undefined)[] = [];
    for (let p = 0; p < partitions; p++) {
      const e = await this.#bucket.get(leaseKey(p));
      out.push(e === null || e.operation !== 'PUT' ? undefined : e.string());
    }
    return out;
  }
}
