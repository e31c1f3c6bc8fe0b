import type { Firing } from '../../core/firing.js';
import { type Issue, type IssueCode, issue } from '../../errors/issue.js';
import type { LedgerDelivery } from './delivery-ledger.js';
import type {
  DeadLetter,
  DeadLetterReason,
  DeliveryAttempt,
  DeliveryRecord,
  DeliveryStatus,
} from './delivery-record.js';

/** What a new entry starts from: its firing, integration, publish time, attempts so far and due time. */
export type EntryFields = {
  readonly firing: Firing;
  readonly integration: string | undefined;
  readonly publishTime: number;
  readonly attempts: DeliveryAttempt[];
  readonly due: number;
};

/**
 * One enqueued delivery as the deliverer tracks it (a ledger sees it as a LedgerDelivery): a firing may be
 * enqueued more than once, each its own entry.
 */
export class DeliveryEntry implements LedgerDelivery {
  /** Replaced (never changed) while a digest window collects firings. */
  firing: Firing;
  readonly integration: string | undefined;
  readonly publishTime: number;
  /** Arrival order, unique per deliverer: history is newest first by it, and equal due times keep it. */
  readonly seq: number;
  status: DeliveryStatus = 'pending';
  attempts: DeliveryAttempt[];
  due: number;
  reason?: DeadLetterReason;
  lastStatus?: number;

  constructor(fields: EntryFields, seq: number) {
    this.firing = fields.firing;
    this.integration = fields.integration;
    this.publishTime = fields.publishTime;
    this.attempts = fields.attempts;
    this.due = fields.due;
    this.seq = seq;
  }

  record(): DeliveryRecord {
    return Object.freeze({
      firingId: this.firing.id,
      automationId: this.firing.automationId,
      automationName: this.firing.automationName,
      ...(this.integration !== undefined && { integration: this.integration }),
      status: this.status,
      attempts: Object.freeze([...this.attempts]),
      publishTime: this.publishTime,
      ...(this.status === 'pending' && { dueTime: this.due }),
      ...(this.reason !== undefined && { deadLetterReason: this.reason }),
      firing: this.firing,
    });
  }
}

/** What the dead-letter sink gets for an entry given up for `reason` (Event Grid's fields). */
export function letterOf(e: DeliveryEntry, reason: DeadLetterReason): DeadLetter {
  const last = e.attempts.at(-1);
  return {
    firing: e.firing,
    automationId: e.firing.automationId,
    automationName: e.firing.automationName,
    integration: e.integration ?? '',
    deadLetterReason: reason,
    deliveryAttempts: e.attempts.length,
    lastDeliveryOutcome: last?.outcome ?? 'None',
    ...(e.lastStatus !== undefined && { lastHttpStatusCode: e.lastStatus }),
    publishTime: e.publishTime,
    ...(last !== undefined && { lastDeliveryAttemptTime: last.time }),
  };
}

/** Record an attempt; only the newest keeps the body's start, so history is bounded by records, not attempts. */
export function pushAttempt(e: DeliveryEntry, attempt: DeliveryAttempt): void {
  const previous = e.attempts.at(-1);
  if (previous?.body !== undefined) {
    const { body: _dropped, ...rest } = previous;
    e.attempts[e.attempts.length - 1] = rest;
  }
  e.attempts.push(attempt);
}

/** An issue about this entry's delivery, naming its automation and event. */
export function entryIssue(e: DeliveryEntry, code: IssueCode, message: string, value: unknown): Issue {
  return {
    ...issue(code, ['action', 'integration'], message, value),
    automationId: e.firing.automationId,
    eventId: e.firing.event.id,
    source: e.firing.event.source,
  };
}
