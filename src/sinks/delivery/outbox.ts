import { type Clock, setTimer } from '../../clock/clock.js';
import { type Issue, issue } from '../../errors/issue.js';
import type { Firing } from '../../streams/firing.js';
import { type DeliveryEntry, letterOf, recordOf } from './delivery-entry.js';
import { DeliveryHistory } from './delivery-history.js';
import type { DeadLetter, DeadLetterReason, DeliveryRecord, DeliveryStatus } from './delivery-record.js';
import { DueHeap } from './due-heap.js';
import { redact } from './redact.js';
import { type AttemptOutcome, judgeStatus, parseRetryAfter, retryDelay } from './retry-policy.js';
import { type RateLimit, TokenBucket } from './token-bucket.js';

/** What one attempt came to: success, an HTTP status (with Retry-After), or an error. */
export type AttemptResult =
  | { readonly ok: true }
  | { readonly status: number; readonly retryAfter?: string }
  | { readonly error: string; readonly fromSink?: boolean };

/** Makes one attempt for an integration; never throws (errors are results). */
export type Deliverer = (firing: Firing, signal: AbortSignal, now: number) => Promise<AttemptResult>;

/** An automation's delivery settings, looked up when they are needed so updates apply to pending firings. */
export type DeliveryPolicy = {
  readonly maxDeliveryAttempts: number;
  readonly timeToLiveMs: number;
  readonly rateLimit?: RateLimit;
  readonly onRateLimit: 'queue' | 'skip';
};

export interface OutboxOptions {
  readonly clock: Clock;
  readonly deliverers: ReadonlyMap<string, Deliverer>;
  readonly policyOf: (automationId: string) => DeliveryPolicy;
  /** Rate limits by integration name; integrations with the same `key` share one bucket (Slack: per webhook URL). */
  readonly integrationLimits: ReadonlyMap<string, { readonly limit: RateLimit; readonly key: string }>;
  readonly concurrency: number;
  readonly attemptTimeoutMs: number;
  readonly historyLimit: number;
  readonly random: () => number;
  readonly secrets: readonly string[];
  readonly writeDeadLetter?: (letter: DeadLetter) => Promise<void>;
  readonly onRecord: (record: DeliveryRecord) => void;
  readonly onDelivered: (record: DeliveryRecord) => void;
  readonly onDeadLetter: (letter: DeadLetter) => void;
  /** False when nobody listens for records: then none is built as it changes (history() builds its own). */
  readonly wantsRecords: () => boolean;
  readonly report: (issue: Issue) => void;
}

type Entry = DeliveryEntry;

/**
 * The delivery pipeline: every firing is delivered at least once, or dead-lettered, or (by the automation's
 * choice) skipped at a rate limit — never lost. Attempts run concurrently up to a limit, each with a timeout;
 * failures are retried on the schedule of §8. All timing is on the injected clock.
 */
export class Outbox {
  readonly #o: OutboxOptions;
  readonly #history: DeliveryHistory;
  /** Pending entries not running, earliest due first. */
  readonly #waiting = new DueHeap<Entry>();
  readonly #running = new Map<Entry, { promise: Promise<void>; controller: AbortController }>();
  readonly #integrationBuckets = new Map<string, TokenBucket>();
  readonly #automationBuckets = new Map<string, TokenBucket>();
  #cancelTimer: (() => void) | undefined;
  #timerDue = Number.POSITIVE_INFINITY;
  #seq = 0;
  #closed = false;

  constructor(options: OutboxOptions) {
    this.#o = options;
    this.#history = new DeliveryHistory(options.historyLimit);
  }

  get inFlight(): number {
    return this.#running.size;
  }

  /** Take a firing: DoNothing is recorded as finished at once; the rest wait for their first attempt. */
  enqueue(firing: Firing, integration: string | undefined): void {
    const now = this.#o.clock.now();
    const entry: Entry = {
      firing,
      integration,
      publishTime: now,
      seq: this.#seq++,
      status: 'pending',
      attempts: [],
      due: now,
    };
    this.#history.add(entry);
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
      const entry: Entry = {
        firing: r.firing,
        integration: r.integration,
        publishTime: r.publishTime,
        seq: this.#seq++,
        status: 'pending',
        attempts: [...r.attempts],
        due: r.dueTime ?? this.#o.clock.now(),
      };
      this.#history.add(entry);
      this.#waiting.push(entry);
    }
    this.#pump();
  }

  history(filter: { automationId?: string; status?: DeliveryStatus; limit?: number } = {}): DeliveryRecord[] {
    const out: DeliveryRecord[] = [];
    for (const e of this.#history.newestFirst()) {
      if (filter.automationId !== undefined && e.firing.automationId !== filter.automationId) continue;
      if (filter.status !== undefined && e.status !== filter.status) continue;
      out.push(recordOf(e));
      if (filter.limit !== undefined && out.length >= filter.limit) break;
    }
    return out;
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
  }

  #pump(): void {
    if (this.#closed) return;
    const now = this.#o.clock.now();
    // Entries held back by a rate limit go back after the loop, so one pump sees each due entry once.
    const deferred: Entry[] = [];
    for (;;) {
      const next = this.#waiting.peek();
      if (next === undefined || next.due > now || this.#running.size >= this.#o.concurrency) break;
      const entry = this.#waiting.pop() as Entry;
      const policy = this.#o.policyOf(entry.firing.automationId);
      const buckets = this.#buckets(entry, policy, now);
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

  #buckets(entry: Entry, policy: DeliveryPolicy, now: number): TokenBucket[] {
    const out: TokenBucket[] = [];
    const name = entry.integration;
    const integrationLimit = name === undefined ? undefined : this.#o.integrationLimits.get(name);
    if (integrationLimit !== undefined)
      out.push(bucketIn(this.#integrationBuckets, integrationLimit.key, integrationLimit.limit, now));
    if (policy.rateLimit !== undefined)
      out.push(bucketIn(this.#automationBuckets, entry.firing.automationId, policy.rateLimit, now));
    return out;
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

  #start(entry: Entry): void {
    const name = entry.integration as string;
    const deliverer = this.#o.deliverers.get(name);
    if (deliverer === undefined) {
      this.#deadLetter(entry, 'UnknownIntegration');
      return;
    }
    const controller = new AbortController();
    const clock = this.#o.clock;
    const started = clock.now();
    // The timeout ends the attempt even if the deliverer ignores the signal: its late result is dropped.
    let endAttempt: (result: AttemptResult) => void = () => undefined;
    const timeout = new Promise<AttemptResult>((resolve) => {
      endAttempt = resolve;
    });
    const cancelTimeout = setTimer(
      clock,
      () => {
        controller.abort(new Error('timed out'));
        endAttempt({ error: 'timed out' });
      },
      this.#o.attemptTimeoutMs,
    );
    const attempt = deliverer(entry.firing, controller.signal, started).catch(
      (error: unknown): AttemptResult => ({ error: error instanceof Error ? error.message : String(error) }),
    );
    const promise = Promise.race([attempt, timeout]).then((result) => {
      cancelTimeout();
      this.#running.delete(entry);
      this.#settle(entry, result, started, controller.signal.aborted);
      this.#pump();
    });
    this.#running.set(entry, { promise, controller });
  }

  #settle(entry: Entry, result: AttemptResult, started: number, aborted: boolean): void {
    if (aborted && this.#closed) {
      // Cut short by close({ abort }): not the receiver's failure, so no attempt is spent; the next engine retries.
      entry.due = this.#o.clock.now();
      this.#waiting.push(entry);
      return;
    }
    const now = this.#o.clock.now();
    const base = { time: started, durationMs: now - started };
    if ('ok' in result) {
      entry.attempts.push({ ...base, outcome: 'Delivered' });
      this.#complete(entry, 'finished');
      return;
    }
    if ('status' in result) {
      const verdict = judgeStatus(result.status);
      entry.attempts.push({ ...base, outcome: verdict.outcome, status: result.status });
      entry.lastStatus = result.status;
      if (verdict.kind === 'delivered') this.#complete(entry, 'finished');
      else if (verdict.kind === 'give-up') this.#deadLetter(entry, 'NonRetriableStatus');
      else this.#retry(entry, now, result.status, parseRetryAfter(result.retryAfter, now));
      return;
    }
    delete entry.lastStatus;
    const outcome: AttemptOutcome = aborted
      ? 'TimedOut'
      : result.fromSink === true
        ? 'SinkError'
        : 'NetworkError';
    const message = redact(result.error, this.#o.secrets);
    entry.attempts.push({ ...base, outcome, error: message });
    if (result.fromSink === true) {
      this.#o.report({
        ...issue(
          'sink_failed',
          ['action', 'integration'],
          `integration ${JSON.stringify(entry.integration)} failed: ${message}`,
          message,
        ),
        automationId: entry.firing.automationId,
        eventId: entry.firing.event.id,
        source: entry.firing.event.source,
      });
    }
    this.#retry(entry, now, undefined, undefined);
  }

  #retry(entry: Entry, now: number, status: number | undefined, retryAfterMs: number | undefined): void {
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

  #deadLetter(entry: Entry, reason: DeadLetterReason): void {
    entry.reason = reason;
    const letter = letterOf(entry, reason);
    this.#complete(entry, 'failed');
    this.#o.onDeadLetter(letter);
    this.#o.report({
      ...issue(
        'dead_lettered',
        ['action', 'integration'],
        `firing ${entry.firing.id} dead-lettered: ${reason}`,
        reason,
      ),
      automationId: entry.firing.automationId,
      eventId: entry.firing.event.id,
      source: entry.firing.event.source,
    });
    this.#o.writeDeadLetter?.(letter).catch((error: unknown) => {
      const message = redact(error instanceof Error ? error.message : String(error), this.#o.secrets);
      this.#o.report(
        issue('sink_failed', ['deadLetter'], `the dead-letter sink failed: ${message}`, message),
      );
    });
  }

  #complete(entry: Entry, status: Exclude<DeliveryStatus, 'pending'>): void {
    entry.status = status;
    this.#history.end(entry);
    const record = this.#emit(entry);
    if (record !== undefined && status === 'finished') this.#o.onDelivered(record);
  }

  #emit(entry: Entry): DeliveryRecord | undefined {
    if (!this.#o.wantsRecords()) return undefined;
    const record = recordOf(entry);
    this.#o.onRecord(record);
    return record;
  }
}

function bucketIn(map: Map<string, TokenBucket>, key: string, limit: RateLimit, now: number): TokenBucket {
  let bucket = map.get(key);
  if (bucket === undefined) {
    bucket = new TokenBucket(limit, now);
    map.set(key, bucket);
  }
  return bucket;
}
