import { setTimer } from '../../clock/clock.js';
import { issue } from '../../errors/issue.js';
import type { Firing } from '../../streams/firing.js';
import { type DeliveryEntry, entryIssue, letterOf, pushAttempt, recordOf } from './delivery-entry.js';
import { DeliveryHistory, type HistoryQuery } from './delivery-history.js';
import type { DeadLetterReason, DeliveryRecord, DeliveryStatus } from './delivery-record.js';
import { DigestWindows } from './digests.js';
import { DueHeap } from './due-heap.js';
import { judgeAttempt } from './judge-attempt.js';
import type { OutboxOptions } from './outbox-options.js';
import { RateLimits } from './rate-limits.js';
import { redact } from './redact.js';
import { retryDelay } from './retry-policy.js';
import { runAttempt, type SettledAttempt } from './run-attempt.js';

/**
 * The delivery pipeline: every firing is delivered at least once, or dead-lettered, or (by the automation's
 * choice) skipped at a rate limit — never lost. Attempts run concurrently up to a limit, each with a timeout;
 * failures are retried on the schedule of §8. All timing is on the injected clock.
 */
export class Outbox {
  readonly #o: OutboxOptions;
  readonly #history: DeliveryHistory;
  /** Pending entries not running, earliest due first. */
  readonly #waiting = new DueHeap<DeliveryEntry>();
  readonly #running = new Map<DeliveryEntry, { promise: Promise<void>; controller: AbortController }>();
  readonly #limits: RateLimits;
  readonly #digests = new DigestWindows();
  #cancelTimer: (() => void) | undefined;
  #timerDue = Number.POSITIVE_INFINITY;
  #seq = 0;
  #closed = false;

  constructor(options: OutboxOptions) {
    this.#o = options;
    this.#history = new DeliveryHistory(options.historyLimit);
    this.#limits = new RateLimits(options.integrationLimits);
  }

  get inFlight(): number {
    return this.#running.size;
  }

  /**
   * Take a firing: DoNothing is recorded as finished at once; one whose action asks for a digest joins its
   * automation's open window, or opens one due when it closes; the rest wait for their first attempt.
   */
  enqueue(firing: Firing, integration: string | undefined): void {
    const now = this.#o.clock.now();
    const held = this.#digests.hold(firing, integration, now);
    if ('joined' in held) return void this.#emit(held.joined);
    const { due } = held;
    const entry = this.#add({ firing: held.firing, integration, publishTime: now, attempts: [], due });
    if (integration === undefined) {
      this.#complete(entry, 'finished');
      return;
    }
    this.#emit(entry);
    this.#waiting.push(entry);
    this.#pump();
  }

  /** Put back pending deliveries from a snapshot, with their attempts and due times: each record is one delivery. */
  restore(records: readonly DeliveryRecord[]): void {
    for (const r of records) {
      if (r.status !== 'pending') continue;
      const { firing, integration, publishTime } = r;
      const due = r.dueTime ?? this.#o.clock.now();
      this.#waiting.push(this.#add({ firing, integration, publishTime, attempts: [...r.attempts], due }));
    }
    this.#pump();
  }

  /** A new pending entry, in history; an open digest window is remembered so later firings join it. */
  #add(fields: Omit<DeliveryEntry, 'seq' | 'status'>): DeliveryEntry {
    const entry: DeliveryEntry = { ...fields, seq: this.#seq++, status: 'pending' };
    this.#history.add(entry);
    this.#digests.opened(entry);
    return entry;
  }

  history(filter: HistoryQuery = {}): DeliveryRecord[] {
    return this.#history.records(filter);
  }

  /** Deliveries not yet finished, failed or skipped: what a snapshot must keep. */
  pending(): DeliveryRecord[] {
    return this.#history.pending().map(recordOf);
  }

  /** Resolves when no attempt is in flight. */
  async idle(): Promise<void> {
    while (this.#running.size > 0)
      await Promise.allSettled([...this.#running.values()].map((r) => r.promise));
  }

  /** Stop starting attempts; wait for those in flight (aborting them first with `abort`). Pending ones stay pending. */
  async close(abort: boolean): Promise<void> {
    this.#closed = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    if (abort) for (const r of this.#running.values()) r.controller.abort(new Error('engine closed'));
    await this.idle();
    await this.#o.release?.();
  }

  #pump(): void {
    if (this.#closed) return;
    const now = this.#o.clock.now();
    // Entries held back by a rate limit go back after the loop, so one pump sees each due entry once.
    const deferred: DeliveryEntry[] = [];
    for (;;) {
      const next = this.#waiting.peek();
      if (next === undefined || next.due > now || this.#running.size >= this.#o.concurrency) break;
      const entry = this.#waiting.pop() as DeliveryEntry;
      const policy = this.#o.policyOf(entry.firing.automationId);
      const buckets = this.#limits.bucketsFor(entry, policy.rateLimit, now);
      const at = Math.max(now, ...buckets.map((b) => b.availableAt(now)));
      if (at > now) {
        // Skipping is a choice about new firings; a retry already owes its receiver a delivery, so it waits.
        if (policy.onRateLimit === 'skip' && entry.attempts.length === 0) this.#complete(entry, 'skipped');
        else {
          entry.due = at;
          deferred.push(entry);
        }
        continue;
      }
      for (const b of buckets) b.take(now);
      this.#start(entry);
    }
    for (const entry of deferred) this.#waiting.push(entry);
    this.#schedule();
  }

  /** One timer, for the earliest due entry; the pump runs again when it fires or when anything changes. */
  #schedule(): void {
    const next = this.#waiting.peek()?.due ?? Number.POSITIVE_INFINITY;
    if (next === this.#timerDue && this.#cancelTimer !== undefined) return;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#timerDue = next;
    if (next === Number.POSITIVE_INFINITY || this.#running.size >= this.#o.concurrency) return;
    this.#cancelTimer = setTimer(
      this.#o.clock,
      () => {
        this.#cancelTimer = undefined;
        this.#timerDue = Number.POSITIVE_INFINITY;
        this.#pump();
      },
      next - this.#o.clock.now(),
    );
  }

  #start(entry: DeliveryEntry): void {
    const name = entry.integration as string;
    const deliverer = this.#o.deliverers.get(name);
    if (deliverer === undefined) {
      this.#deadLetter(entry, 'UnknownIntegration');
      return;
    }
    const { controller, settled } = runAttempt(
      deliverer,
      entry.firing,
      this.#o.clock,
      this.#o.attemptTimeoutMs,
    );
    const promise = settled.then((attempt) => {
      this.#running.delete(entry);
      this.#settle(entry, attempt);
      this.#pump();
    });
    this.#running.set(entry, { promise, controller });
  }

  #settle(entry: DeliveryEntry, settled: SettledAttempt): void {
    if (settled.aborted && this.#closed) {
      // Cut short by close({ abort }): not the receiver's failure, so no attempt is spent; the next engine retries.
      entry.due = this.#o.clock.now();
      this.#waiting.push(entry);
      return;
    }
    const judged = judgeAttempt(settled, this.#o.secrets);
    pushAttempt(entry, judged.attempt);
    if (judged.status !== undefined) entry.lastStatus = judged.status;
    else delete entry.lastStatus;
    if (judged.sinkError !== undefined) {
      const message = `integration ${JSON.stringify(entry.integration)} failed: ${judged.sinkError}`;
      this.#o.report(entryIssue(entry, 'sink_failed', message, judged.sinkError));
    }
    if (judged.next === 'finished') this.#complete(entry, 'finished');
    else if (judged.next === 'give-up') this.#deadLetter(entry, 'NonRetriableStatus');
    else this.#retry(entry, settled.decided, judged.status, judged.retryAfterMs);
  }

  #retry(
    entry: DeliveryEntry,
    now: number,
    status: number | undefined,
    retryAfterMs: number | undefined,
  ): void {
    const policy = this.#o.policyOf(entry.firing.automationId);
    if (entry.attempts.length >= policy.maxDeliveryAttempts) {
      this.#deadLetter(entry, 'MaxDeliveryAttemptsExceeded');
      return;
    }
    const due = now + retryDelay(entry.attempts.length, this.#o.random, status, retryAfterMs);
    if (due > entry.publishTime + policy.timeToLiveMs) {
      this.#deadLetter(entry, 'TimeToLiveExceeded');
      return;
    }
    entry.due = due;
    this.#waiting.push(entry);
    this.#emit(entry);
  }

  #deadLetter(entry: DeliveryEntry, reason: DeadLetterReason): void {
    entry.reason = reason;
    const letter = letterOf(entry, reason);
    this.#complete(entry, 'failed');
    this.#o.onDeadLetter(letter);
    this.#o.report(
      entryIssue(entry, 'dead_lettered', `firing ${entry.firing.id} dead-lettered: ${reason}`, reason),
    );
    this.#o.writeDeadLetter?.(letter).catch((error: unknown) => {
      const message = redact(error instanceof Error ? error.message : String(error), this.#o.secrets);
      this.#o.report(
        issue('sink_failed', ['deadLetter'], `the dead-letter sink failed: ${message}`, message),
      );
    });
  }

  #complete(entry: DeliveryEntry, status: Exclude<DeliveryStatus, 'pending'>): void {
    entry.status = status;
    this.#digests.ended(entry);
    this.#history.end(entry);
    const record = this.#emit(entry);
    if (record !== undefined && status === 'finished') this.#o.onDelivered(record);
  }

  #emit(entry: DeliveryEntry): DeliveryRecord | undefined {
    if (!this.#o.wantsRecords()) return undefined;
    const record = recordOf(entry);
    this.#o.onRecord(record);
    return record;
  }
}
