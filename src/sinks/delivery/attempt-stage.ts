import type { Clock } from '../../clock/clock.js';
import { type DeliveryEntry, pushAttempt } from './delivery-entry.js';
import type { DeliveryPolicy } from './delivery-policy.js';
import type { DeadLetterReason } from './delivery-record.js';
import { judgeAttempt } from './judge-attempt.js';
import { retryDelay } from './retry-policy.js';
import { runAttempt, type Sender, type SettledAttempt } from './run-attempt.js';

/** What comes after an attempt: the end, a retry at `due`, or (cut short by close) waiting again, unspent. */
export type AttemptNext =
  | { readonly next: 'finished' }
  | { readonly next: 'dead-letter'; readonly reason: DeadLetterReason }
  | { readonly next: 'retry'; readonly due: number }
  | { readonly next: 'requeue'; readonly due: number };

/** How an attempt went: what comes next, and a custom sink's failure (redacted) to report. */
export type AttemptSettled = AttemptNext & { readonly sinkError?: string };

export type AttemptStageOptions = {
  readonly clock: Clock;
  /** Attempts in flight at once. */
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly random: () => number;
  readonly secrets: readonly string[];
  readonly policyOf: (automationId: string) => DeliveryPolicy;
};

/**
 * The attempt stage: runs attempts up to the concurrency, each ended by its timeout (or by close with
 * `abort`); judges what came back, records it on the delivery, and applies the retry policy (§8's schedule
 * with jitter, minimum waits, Retry-After, then the attempt budget and the time to live).
 */
export class AttemptStage {
  readonly #o: AttemptStageOptions;
  readonly #running = new Map<DeliveryEntry, { promise: Promise<void>; controller: AbortController }>();
  #closed = false;

  constructor(options: AttemptStageOptions) {
    this.#o = options;
  }

  get inFlight(): number {
    return this.#running.size;
  }

  hasRoom(): boolean {
    return this.#running.size < this.#o.concurrency;
  }

  /** Make one attempt; `settled` hears what it came to once it is no longer in flight. */
  start(
    entry: DeliveryEntry,
    send: Sender,
    settled: (entry: DeliveryEntry, next: AttemptSettled) => void,
  ): void {
    const attempt = runAttempt(send, entry.firing, this.#o.clock, this.#o.timeoutMs);
    const promise = attempt.settled.then((s) => {
      this.#running.delete(entry);
      settled(entry, this.#decide(entry, s));
    });
    this.#running.set(entry, { promise, controller: attempt.controller });
  }

  /** Resolves when no attempt is in flight. */
  async idle(): Promise<void> {
    while (this.#running.size > 0)
      await Promise.allSettled([...this.#running.values()].map((r) => r.promise));
  }

  /** From now on an aborted attempt was cut short by close; with `abort`, signal those in flight to stop. */
  close(abort: boolean): void {
    this.#closed = true;
    if (abort) for (const r of this.#running.values()) r.controller.abort(new Error('engine closed'));
  }

  #decide(entry: DeliveryEntry, settled: SettledAttempt): AttemptSettled {
    // Cut short by close: not the receiver's failure, so no attempt is spent; the next process retries.
    if (settled.aborted && this.#closed) return { next: 'requeue', due: this.#o.clock.now() };
    const judged = judgeAttempt(settled, this.#o.secrets);
    pushAttempt(entry, judged.attempt);
    if (judged.status !== undefined) entry.lastStatus = judged.status;
    else delete entry.lastStatus;
    const sink = judged.sinkError === undefined ? {} : { sinkError: judged.sinkError };
    if (judged.next === 'finished') return { next: 'finished', ...sink };
    if (judged.next === 'give-up') return { next: 'dead-letter', reason: 'NonRetriableStatus', ...sink };
    const policy = this.#o.policyOf(entry.firing.automationId);
    if (entry.attempts.length >= policy.maxDeliveryAttempts)
      return { next: 'dead-letter', reason: 'MaxDeliveryAttemptsExceeded', ...sink };
    const delay = retryDelay(entry.attempts.length, this.#o.random, judged.status, judged.retryAfterMs);
    const due = settled.decided + delay;
    if (due > entry.publishTime + policy.timeToLiveMs)
      return { next: 'dead-letter', reason: 'TimeToLiveExceeded', ...sink };
    return { next: 'retry', due, ...sink };
  }
}
