import { type ConsumerMessages, DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { Clock } from '../clock/clock.js';
import { EventIntake } from '../core/event-intake.js';
import type { Firing } from '../core/firing.js';
import { Partition } from '../core/partition.js';
import type { Issue } from '../errors/issue.js';
import type { PatternCache } from '../match/pattern-cache.js';
import type { Connection } from './connection.js';
import type { DefinitionsLog } from './definitions-log.js';
import { appendFirings, type FiringTail, logged, readTail, type SourcePosition } from './firing-log.js';
import { decodeJson } from './json-codec.js';
import { CONTROL_HEADER, EVENTS, eventSubject } from './layout.js';
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
  /** Message handling and idle snapshots, one at a time. */
  #serial: Promise<unknown> = Promise.resolve();

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
    this.#serial = this.#serial.then(async () => {
      try {
        if (this.#stopping === undefined && (await this.#flush())) await this.#snapshot();
      } catch (error) {
        // Left to the next message or tick; reported, never an unhandled rejection.
        const message = `partition ${this.partition}: idle snapshot failed: ${error instanceof Error ? error.message : String(error)}`;
        this.#ctx.report({
          code: 'sink_failed',
          path: ['partitions', this.partition],
          message,
          value: error,
        });
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
    return this.done;
  }

  async #run(): Promise<void> {
    const { c, partition } = { c: this.#ctx.c, partition: this.partition };
    try {
      await this.#restore();
      if (this.#stopping !== undefined) return;
      const start = this.lastSeq;
      const consumer = await c.js.consumers.get(EVENTS, {
        filter_subjects: eventSubject(partition),
        ...(start > 0
          ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start + 1 }
          : { deliver_policy: DeliverPolicy.All }),
      });
      const messages = await consumer.consume({ max_messages: 256 });
      this.#messages = messages;
      if (this.#stopping !== undefined) messages.stop();
      for await (const m of messages) {
        if (this.#stopping !== undefined) break;
        this.#serial = this.#serial.then(() => this.#handle(m));
        await this.#serial;
        if (this.fencedOut) break;
      }
      await this.#serial;
      if (this.#stopping === 'hand-back' && !this.fencedOut && (await this.#flush())) await this.#snapshot();
    } catch (error) {
      this.#stopping ??= 'drop';
      const message = `partition ${partition}: ${error instanceof Error ? error.message : String(error)}`;
      this.#ctx.report({ code: 'internal_error', path: ['partitions', partition], message, value: error });
    } finally {
      this.#messages?.stop();
    }
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
      const message = `partition ${this.partition}: fenced out, another owner appended to its firing log first; dropped`;
      ctx.report({
        code: 'sink_failed',
        path: ['partitions', this.partition],
        message,
        value: this.#tail.seq,
      });
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
