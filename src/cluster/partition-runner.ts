import type { KV } from '@nats-io/kv';
import type { Clock } from '../clock/clock.js';
import { EventIntake } from '../core/event-intake.js';
import type { Firing } from '../core/firing.js';
import { Partition } from '../core/partition.js';
import type { Issue } from '../errors/issue.js';
import type { PatternCache } from '../match/pattern-cache.js';
import type { Connection } from './connection.js';
import type { DefinitionsLog } from './definitions-log.js';
import { type ConsumerMessages, type JsMsg, openEventFeed, wakeableDelay, watchStall } from './event-feed.js';
import { appendFirings, type FiringTail, logged, readTail, type SourcePosition } from './firing-log.js';
import { decodeJson } from './json-codec.js';
import { CONTROL_HEADER } from './layout.js';
import { SerialQueue } from './serial-queue.js';
import { readSnapshot, writeSnapshot } from './snapshot-store.js';

/** What every partition a worker runs shares. */
export interface RunnerContext {
  readonly c: Connection;
  readonly partitions: number;
  readonly definitions: DefinitionsLog;
  readonly snapshots: KV;
  readonly patterns: PatternCache;
  readonly clock: Clock;
  readonly report: (issue: Issue) => void;
  readonly snapshotEveryMs: number;
  /** False only in the test that shows what goes wrong without fencing. */
  readonly fenced: boolean;
}

/** How a runner stops: handing its partition back (log, snapshot, then the lease is freed) or dropping it. */
export type StopMode = 'hand-back' | 'drop';

/** Flush firings at least this often (messages), and when the consumer has caught up. */
const FLUSH_EVERY = 128;
const MAX_BUFFER = 1024;

/**
 * One owned partition (CLUSTER.md, "Restore, process, commit"): restore from its snapshot, read its firing
 * log's tail, consume its event subject in order, append new firings fenced on the log's last sequence, and
 * snapshot after appending. Fenced out, it stops: its state may be ahead of what it could log.
 */
export class PartitionRunner {
  readonly partition: number;
  leaseRevision: number;
  /** The last event message applied. */
  lastSeq = 0;
  /** Set when another owner wrote the firing log first. */
  fencedOut = false;
  readonly done: Promise<void>;
  readonly #ctx: RunnerContext;
  readonly #intake: EventIntake;
  #core: Partition | undefined;
  #messages: ConsumerMessages | undefined;
  #stopping: StopMode | undefined;
  #tail: FiringTail = { seq: 0 };
  #buffer: Firing[] = [];
  #last: SourcePosition | undefined;
  #sinceFlush = 0;
  #snapshotRevision: number | undefined;
  #snapshotSeq = 0;
  #snapshotAt: number;
  #wake: (() => void) | undefined;
  /** Message handling and idle snapshots, one at a time. */
  readonly #serial = new SerialQueue();

  constructor(ctx: RunnerContext, partition: number, leaseRevision: number) {
    this.#ctx = ctx;
    this.partition = partition;
    this.leaseRevision = leaseRevision;
    // Producers checked time against their clock; a replay must accept what the first run accepted.
    this.#intake = new EventIntake(ctx.clock, { maxFutureMs: Number.POSITIVE_INFINITY });
    this.#snapshotAt = ctx.clock.now();
    this.done = this.#run();
  }

  /**
   * Snapshot now if it has applied messages since its last snapshot and the pacing allows: called on the worker's
   * tick, so a partition that went quiet after a burst is snapshotted too (a later restore then replays less).
   */
  snapshotIfIdle(): void {
    if (this.#core === undefined || this.#stopping !== undefined || this.lastSeq <= this.#snapshotSeq) return;
    if (this.#ctx.clock.now() - this.#snapshotAt < this.#ctx.snapshotEveryMs) return;
    void this.#serial.run(async () => {
      try {
        if (this.#stopping === undefined && (await this.#flush())) await this.#snapshot();
      } catch (error) {
        // Left to the next message or tick; reported, never an unhandled rejection.
        this.#report('sink_failed', 'idle snapshot failed', error, error);
      }
    });
  }

  get stopping(): StopMode | undefined {
    return this.#stopping;
  }

  /** Stop consuming; resolves when the partition is handed back or dropped. */
  stop(mode: StopMode): Promise<void> {
    this.#stopping ??= mode;
    this.#messages?.stop();
    this.#wake?.();
    return this.done;
  }

  async #run(): Promise<void> {
    const partition = this.partition;
    try {
      await this.#restore();
      let failures = 0;
      while (this.#stopping === undefined && !this.fencedOut) {
        if (await this.#consume()) failures = 0;
        else {
          const delay = wakeableDelay(Math.min(2000, 250 * 2 ** failures++));
          this.#wake = delay.wake;
          await delay.done;
        }
      }
      await this.#serial.idle();
      if (this.#stopping === 'hand-back' && !this.fencedOut && (await this.#flush())) await this.#snapshot();
    } catch (error) {
      this.#stopping ??= 'drop';
      const message = `partition ${partition}: ${error instanceof Error ? error.message : String(error)}`;
      this.#ctx.report({ code: 'internal_error', path: ['partitions', partition], message, value: error });
    } finally {
      this.#messages?.stop();
      this.#wake?.();
    }
  }

  /**
   * One consumer's life, from `lastSeq + 1` until it is stopped, ends, fails or stalls; false when it could not be
   * opened or failed. A failed event (or append) throws: the partition is dropped and restored by its next owner.
   */
  async #consume(): Promise<boolean> {
    let messages: ConsumerMessages;
    try {
      messages = await openEventFeed(this.#ctx.c, this.partition, this.lastSeq);
    } catch (error) {
      this.#report('source_error', 'could not open its event consumer', error, this.lastSeq);
      return false;
    }
    this.#messages = messages;
    if (this.#stopping !== undefined) messages.stop();
    const progress = { at: this.#ctx.clock.now(), busy: false };
    const unwatch = watchStall(
      this.#ctx,
      this.partition,
      progress,
      () => this.lastSeq,
      (at, last) => {
        if (this.#stopping !== undefined || this.#messages !== messages) return;
        this.#report(
          'source_error',
          `event consumer stalled at ${at}, its subject at ${last}; re-created`,
          undefined,
          at,
        );
        messages.stop();
      },
    );
    try {
      for await (const m of messages) {
        if (this.#stopping !== undefined) break;
        // A re-created consumer never repeats a message, but nothing is applied twice whatever it does.
        if (m.seq <= this.lastSeq) continue;
        const handled = this.#serial.run(() => this.#handle(m));
        progress.busy = true;
        await handled;
        progress.busy = false;
        progress.at = this.#ctx.clock.now();
        if (this.fencedOut) break;
      }
      return true;
    } catch (error) {
      if (progress.busy) throw error;
      this.#report('source_error', 'event consumer failed', error, this.lastSeq);
      return false;
    } finally {
      unwatch();
      messages.stop();
    }
  }

  #report(code: Issue['code'], what: string, error: unknown, value: unknown): void {
    const why = error === undefined ? '' : `: ${error instanceof Error ? error.message : String(error)}`;
    this.#ctx.report({
      code,
      path: ['partitions', this.partition],
      message: `partition ${this.partition}: ${what}${why}`,
      value,
    });
  }

  async #restore(): Promise<void> {
    const ctx = this.#ctx;
    const saved = await readSnapshot(ctx.snapshots, this.partition);
    const core = new Partition({
      partition: this.partition,
      of: ctx.partitions,
      patterns: ctx.patterns,
      report: ctx.report,
    });
    const revision = saved?.snapshot.state.revision ?? 0;
    for (const change of await ctx.definitions.between(0, revision)) core.applyDefinition(change);
    if (saved !== undefined) {
      core.load(saved.snapshot.state);
      this.lastSeq = saved.snapshot.lastSeq;
      this.#snapshotSeq = saved.snapshot.lastSeq;
      this.#snapshotRevision = saved.revision;
    }
    this.#core = core;
    this.#tail = await readTail(ctx.c, this.partition);
  }

  async #handle(m: JsMsg): Promise<void> {
    const core = this.#core as Partition;
    if (m.headers?.get(CONTROL_HEADER) === 'definitions') {
      const { revision } = m.json<{ revision: number }>();
      for (const change of await this.#ctx.definitions.between(core.revision, revision))
        core.applyDefinition(change);
    } else {
      const events = decodeJson<unknown[]>(m.string());
      let index = 0;
      for (const event of events) {
        const parsed = this.#intake.parse(event);
        if (!parsed.ok) {
          for (const i of parsed.issues) this.#ctx.report(i);
          continue;
        }
        const firings = core.apply(parsed.value) ?? [];
        for (const f of firings) {
          index += 1;
          if (logged(this.#tail, m.seq, index)) continue;
          this.#buffer.push(f);
          this.#last = { seq: m.seq, index };
        }
      }
    }
    this.lastSeq = m.seq;
    core.lastOffset = m.seq;
    this.#sinceFlush += 1;
    const caughtUp = m.info.pending === 0;
    if (caughtUp || this.#sinceFlush >= FLUSH_EVERY || this.#buffer.length >= MAX_BUFFER) {
      if (!(await this.#flush())) return;
      if (this.#ctx.clock.now() - this.#snapshotAt >= this.#ctx.snapshotEveryMs) await this.#snapshot();
    }
  }

  /** Append what is buffered; false when fenced out. */
  async #flush(): Promise<boolean> {
    this.#sinceFlush = 0;
    if (this.#buffer.length === 0) return true;
    const ctx = this.#ctx;
    const next = await appendFirings(
      ctx.c,
      this.partition,
      this.#buffer,
      this.#tail,
      this.#last as SourcePosition,
      ctx.fenced,
    );
    if (next === undefined) {
      const why = 'fenced out, another owner appended to its firing log first; dropped';
      this.#report('sink_failed', why, undefined, this.#tail.seq);
      this.fencedOut = true;
      this.#stopping ??= 'drop';
      return false;
    }
    this.#tail = next;
    this.#buffer = [];
    return true;
  }

  /** After a flush: the state at `lastSeq`, every firing up to there logged. */
  async #snapshot(): Promise<void> {
    this.#snapshotAt = this.#ctx.clock.now();
    if (this.lastSeq <= this.#snapshotSeq) return;
    const state = (this.#core as Partition).save();
    const snapshot = { lastSeq: this.lastSeq, state };
    try {
      this.#snapshotRevision = await writeSnapshot(
        this.#ctx.snapshots,
        this.partition,
        snapshot,
        this.#snapshotRevision,
      );
      this.#snapshotSeq = this.lastSeq;
    } catch (error) {
      // A snapshot that cannot be written (say, over the server's max payload) only makes a restore replay more.
      const message = `partition ${this.partition}: snapshot not written: ${error instanceof Error ? error.message : String(error)}`;
      this.#ctx.report({ code: 'sink_failed', path: ['partitions', this.partition], message, value: error });
    }
  }
}
