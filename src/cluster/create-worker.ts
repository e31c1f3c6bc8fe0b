import { randomUUID } from 'node:crypto';
import type { KV } from '@nats-io/kv';
import { systemClock } from '../clock/system-clock.js';
import { parseInput } from '../definitions/parse.js';
import type { Issue } from '../errors/issue.js';
import { PatternCache } from '../match/pattern-cache.js';
import { re2jsEngine } from '../match/re2js-engine.js';
import { type Connection, openBucket, openConnection, readConfig } from './connection.js';
import { DefinitionsLog } from './definitions-log.js';
import { DeliveryStage } from './delivery-stage.js';
import { DEFS, LEASES, MEMBERS, SNAPSHOTS } from './layout.js';
import { type Heartbeat, liveMembers } from './members.js';
import { Leases } from './ownership.js';
import { PartitionRunner, type RunnerContext } from './partition-runner.js';
import { UNFENCED, type WorkerOptions, workerOptionsSchema } from './worker-options.js';

/** A running worker: what `createWorker` resolves to. */
export interface Worker {
  readonly id: string;
  /** The partitions it owns now, in order. */
  owned(): number[];
  /** Hand every partition back (log, snapshot, free the lease), leave the membership, close the connection. */
  close(): Promise<void>;
}

/**
 * Join the cluster: heartbeat, take a fair share of the partition leases (⌈P / live workers⌉), run each owned
 * partition, hand surplus partitions back when others join, take over those whose owner died; with `deliver`,
 * also deliver the logged firings. Resolves once it has joined; throws ClusterError when the server cannot be
 * reached or the cluster is not initialised.
 */
export async function createWorker(options: WorkerOptions): Promise<Worker> {
  const unfenced = (options as { [UNFENCED]?: unknown })[UNFENCED] === true;
  const o = parseInput(workerOptionsSchema, options, 'worker options') as WorkerOptions;
  const id = o.id ?? `w-${randomUUID().slice(0, 8)}`;
  const c = await openConnection(o.nats, `ml-automations worker ${id}`);
  try {
    const config = await readConfig(c);
    const [defs, leases, members, snapshots] = await Promise.all(
      [DEFS, LEASES, MEMBERS, SNAPSHOTS].map((b) => openBucket(c, b)),
    );
    const clock = o.clock ?? systemClock;
    const report = o.onIssue ?? ((_: Issue) => undefined);
    const ctx: RunnerContext = {
      c,
      partitions: config.partitions,
      definitions: new DefinitionsLog(defs as KV),
      snapshots: snapshots as KV,
      patterns: new PatternCache(re2jsEngine),
      clock,
      report,
      snapshotEveryMs: o.snapshotEveryMs ?? 1000,
      fenced: !unfenced,
    };
    const stage =
      o.deliver === true
        ? await DeliveryStage.start(c, { integrations: o.integrations ?? {}, clock, report })
        : undefined;
    const worker = new ClusterWorker(id, c, ctx, {
      leases: new Leases(leases as KV, id),
      members: members as KV,
      leaseTtlMs: config.leaseTtlMs,
      settleMs: o.settleMs ?? Math.round(config.leaseTtlMs / 2),
      stage,
    });
    await worker.start();
    return worker;
  } catch (error) {
    await c.nc.close();
    throw error;
  }
}

type Parts = {
  readonly leases: Leases;
  readonly members: KV;
  readonly leaseTtlMs: number;
  readonly settleMs: number;
  readonly stage: DeliveryStage | undefined;
};

class ClusterWorker implements Worker {
  readonly id: string;
  readonly #c: Connection;
  readonly #ctx: RunnerContext;
  readonly #parts: Parts;
  readonly #runners = new Map<number, PartitionRunner>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #ticking: Promise<void> = Promise.resolve();
  #closing: Promise<void> | undefined;
  #joinedAt = 0;

  constructor(id: string, c: Connection, ctx: RunnerContext, parts: Parts) {
    this.id = id;
    this.#c = c;
    this.#ctx = ctx;
    this.#parts = parts;
  }

  owned(): number[] {
    return [...this.#runners.keys()].sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    this.#joinedAt = this.#ctx.clock.now();
    await this.#heartbeat();
    this.#schedule(0);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#ticking;
    await Promise.all([...this.#runners.keys()].map((p) => this.#stopRunner(p, 'hand-back')));
    await this.#parts.members.delete(this.id).catch(() => undefined);
    await this.#parts.stage?.close();
    await this.#c.nc.close();
  }

  #schedule(delay: number): void {
    this.#timer = setTimeout(() => {
      this.#ticking = this.#tick().then(
        () => {
          if (this.#closing === undefined)
            this.#schedule(Math.max(100, Math.round(this.#parts.leaseTtlMs / 3)));
        },
        (error: unknown) => {
          this.#fault(error);
          if (this.#closing === undefined) this.#schedule(Math.round(this.#parts.leaseTtlMs / 3));
        },
      );
    }, delay);
  }

  /** Heartbeat, renew, then balance: hand surplus back, take free partitions up to the fair share. */
  async #tick(): Promise<void> {
    await this.#heartbeat();
    const { leases } = this.#parts;
    for (const [p, runner] of this.#runners) {
      if (runner.stopping !== undefined) continue;
      const renewed = await leases.renew(p, runner.leaseRevision);
      if (renewed === undefined) void this.#stopRunner(p, 'drop');
      else {
        runner.leaseRevision = renewed;
        runner.snapshotIfIdle();
      }
    }
    const partitions = this.#ctx.partitions;
    const target = Math.ceil(partitions / Math.max(1, await this.#liveMembers()));
    const running = [...this.#runners.values()].filter((r) => r.stopping === undefined);
    if (running.length > target)
      for (const r of running.sort((a, b) => b.partition - a.partition).slice(0, running.length - target))
        void this.#stopRunner(r.partition, 'hand-back');
    if (running.length >= target || this.#ctx.clock.now() - this.#joinedAt < this.#parts.settleMs) return;
    let want = target - running.length;
    const offset = [...this.id].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7) % partitions;
    for (let i = 0; i < partitions && want > 0 && this.#closing === undefined; i++) {
      const p = (offset + i) % partitions;
      if (this.#runners.has(p)) continue;
      const revision = await leases.take(p);
      if (revision === undefined) continue;
      this.#runners.set(p, new PartitionRunner(this.#ctx, p, revision));
      want -= 1;
    }
  }

  /** Stop a partition; on hand-back (or when fenced out) free its lease so it moves on at once. */
  async #stopRunner(p: number, mode: 'hand-back' | 'drop'): Promise<void> {
    const runner = this.#runners.get(p);
    if (runner === undefined) return;
    await runner.stop(mode);
    if (runner.stopping === 'hand-back' || runner.fencedOut)
      await this.#parts.leases.release(p, runner.leaseRevision);
    if (this.#runners.get(p) === runner) this.#runners.delete(p);
  }

  async #heartbeat(): Promise<void> {
    const partitions: Record<string, number> = {};
    for (const [p, r] of this.#runners) {
      // A runner that ended by itself (fenced out, or a fault) is cleared here and its lease freed.
      if (r.stopping === undefined) partitions[p] = r.lastSeq;
      else void this.#stopRunner(p, r.stopping);
    }
    const beat: Heartbeat = { id: this.id, partitions };
    await this.#parts.members.put(this.id, JSON.stringify(beat));
  }

  /** Read from the bucket's stream state and one get per member: no consumer, so it works while leaders move. */
  async #liveMembers(): Promise<number> {
    return (await liveMembers(this.#c, this.#parts.members)).length;
  }

  #fault(error: unknown): void {
    const message = `worker ${this.id}: ${error instanceof Error ? error.message : String(error)}`;
    this.#ctx.report({ code: 'internal_error', path: [], message, value: error });
  }
}
