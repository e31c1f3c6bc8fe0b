import type { Firing } from '../../core/firing.js';
import { parseInput } from '../../definitions/parse.js';
import { EngineClosedError } from '../../errors/engine-closed-error.js';
import { issue } from '../../errors/issue.js';
import { integrationOf } from '../../schema/actions.js';
import { type AttemptSettled, AttemptStage } from './attempt-stage.js';
import type { Deliverer } from './deliverer.js';
import {
  checkFiring,
  checkInput,
  closeOptionsSchema,
  deliveryRecordsSchema,
  historyQuerySchema,
} from './deliverer-inputs.js';
import { DeliveryEntry, type EntryFields, entryIssue, letterOf } from './delivery-entry.js';
import type { HistoryQuery } from './delivery-ledger.js';
import type { DeadLetterReason, DeliveryRecord, DeliveryStatus } from './delivery-record.js';
import { DigestWindows } from './digests.js';
import type { PipelineOptions } from './pipeline-options.js';
import { RateLimits } from './rate-limits.js';
import { redact } from './redact.js';
import { Scheduler } from './scheduler.js';

/**
 * Delivery as stages, composed in order (as Alertmanager's notify pipeline): digests hold a firing in its
 * window; the ledger records it; the scheduler waits until it is due; the rate limits let it go, hold it back or
 * skip it; the attempt stage makes the attempt and judges it, and its retry policy sends it back to the
 * scheduler, or it ends (finished, or dead-lettered).
 */
export class DeliveryPipeline implements Deliverer {
  readonly #o: PipelineOptions;
  readonly #digests = new DigestWindows();
  readonly #scheduler: Scheduler<DeliveryEntry>;
  readonly #limits: RateLimits;
  readonly #attempts: AttemptStage;
  #seq = 0;
  #closed = false;
  /** Dead letters handed to the sink and not yet written. */
  readonly #letters = new Set<Promise<void>>();

  constructor(options: PipelineOptions) {
    this.#o = options;
    this.#limits = new RateLimits(options.integrationLimits);
    this.#attempts = new AttemptStage({
      clock: options.clock,
      concurrency: options.concurrency,
      timeoutMs: options.attemptTimeoutMs,
      random: options.random,
      secrets: options.secrets,
      policyOf: options.policyOf,
    });
    this.#scheduler = new Scheduler({
      clock: options.clock,
      hasRoom: () => this.#attempts.hasRoom(),
      dispatch: (entry, now) => this.#dispatch(entry, now),
    });
  }

  get inFlight(): number {
    return this.#attempts.inFlight;
  }

  get closed(): boolean {
    return this.#closed;
  }

  deliver(firing: Firing): void {
    if (this.#closed) throw new EngineClosedError('deliver');
    checkFiring(firing);
    const integration = integrationOf(firing.action);
    const now = this.#o.clock.now();
    const held = this.#digests.hold(firing, integration, now);
    if ('joined' in held) {
      this.#o.ledger.update(held.joined);
      this.#emit(held.joined);
      return;
    }
    const entry = this.#add({
      firing: held.firing,
      integration,
      publishTime: now,
      attempts: [],
      due: held.due,
    });
    if (integration === undefined) {
      this.#complete(entry, 'finished');
      return;
    }
    this.#emit(entry);
    this.#scheduler.add(entry);
    this.#scheduler.pump();
  }

  restore(pending: readonly DeliveryRecord[]): void {
    checkInput(deliveryRecordsSchema, pending, 'pending deliveries');
    for (const r of pending) {
      if (r.status !== 'pending') continue;
      const { firing, integration, publishTime } = r;
      const due = r.dueTime ?? this.#o.clock.now();
      this.#scheduler.add(this.#add({ firing, integration, publishTime, attempts: [...r.attempts], due }));
    }
    this.#scheduler.pump();
  }

  history(query: HistoryQuery = {}): DeliveryRecord[] {
    const q = parseInput(historyQuerySchema, query, 'history query') as HistoryQuery;
    return [...this.#o.ledger.history(q)];
  }

  pending(): DeliveryRecord[] {
    return [...this.#o.ledger.pending()];
  }

  idle(): Promise<void> {
    return this.#attempts.idle();
  }

  async close(options: { readonly abort?: boolean } = {}): Promise<void> {
    checkInput(closeOptionsSchema, options, 'close options');
    this.#closed = true;
    this.#scheduler.stop();
    this.#attempts.close(options.abort === true);
    await this.#attempts.idle();
    while (this.#letters.size > 0) await Promise.all(this.#letters);
    await this.#o.release?.();
  }

  /** A new pending entry, in the ledger; an open digest window is remembered so later firings join it. */
  #add(fields: EntryFields): DeliveryEntry {
    const entry = new DeliveryEntry(fields, this.#seq++);
    this.#o.ledger.add(entry);
    this.#digests.opened(entry);
    return entry;
  }

  /** A due entry, past the rate limits to its attempt; true when held back (its due moved later). */
  #dispatch(entry: DeliveryEntry, now: number): boolean {
    const admission = this.#limits.admit(entry, this.#o.policyOf(entry.firing.automationId), now);
    if (admission.kind === 'wait') {
      entry.due = admission.until;
      this.#o.ledger.update(entry);
      return true;
    }
    if (admission.kind === 'skip') this.#complete(entry, 'skipped');
    else {
      const send = this.#o.senders.get(entry.integration as string);
      if (send === undefined) this.#deadLetter(entry, 'UnknownIntegration');
      else this.#attempts.start(entry, send, (e, next) => this.#settled(e, next));
    }
    return false;
  }

  #settled(entry: DeliveryEntry, s: AttemptSettled): void {
    if (s.sinkError !== undefined) {
      const message = `integration ${JSON.stringify(entry.integration)} failed: ${s.sinkError}`;
      this.#o.onIssue(entryIssue(entry, 'sink_failed', message, s.sinkError));
    }
    if (s.next === 'finished') this.#complete(entry, 'finished');
    else if (s.next === 'dead-letter') this.#deadLetter(entry, s.reason);
    else {
      entry.due = s.due;
      this.#o.ledger.update(entry);
      this.#scheduler.add(entry);
      // A retry is a change of record; an attempt cut short by close is not.
      if (s.next === 'retry') this.#emit(entry);
    }
    this.#scheduler.pump();
  }

  #deadLetter(entry: DeliveryEntry, reason: DeadLetterReason): void {
    entry.reason = reason;
    const letter = letterOf(entry, reason);
    this.#complete(entry, 'failed');
    this.#o.onDeadLetter(letter);
    const message = `firing ${entry.firing.id} dead-lettered: ${reason}`;
    this.#o.onIssue(entryIssue(entry, 'dead_lettered', message, reason));
    const written = this.#o.writeDeadLetter?.(letter).catch((error: unknown) => {
      const text = redact(error instanceof Error ? error.message : String(error), this.#o.secrets);
      this.#o.onIssue(issue('sink_failed', ['deadLetter'], `the dead-letter sink failed: ${text}`, text));
    });
    if (written === undefined) return;
    // Kept until written, so close() resolves only once every letter is in its sink.
    this.#letters.add(written);
    void written.finally(() => this.#letters.delete(written));
  }

  #complete(entry: DeliveryEntry, status: Exclude<DeliveryStatus, 'pending'>): void {
    entry.status = status;
    this.#digests.ended(entry);
    this.#o.ledger.end(entry);
    const record = this.#emit(entry);
    if (record !== undefined && status === 'finished') this.#o.onDelivered(record);
  }

  #emit(entry: DeliveryEntry): DeliveryRecord | undefined {
    if (!this.#o.wantsRecords()) return undefined;
    const record = entry.record();
    this.#o.onRecord(record);
    return record;
  }
}
