import type { Clock } from '../../clock/clock.js';
import type { Issue } from '../../errors/issue.js';
import type { DeadLetter, DeliveryRecord } from './delivery-record.js';
import type { Deliverer } from './run-attempt.js';
import type { RateLimit } from './token-bucket.js';

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
  /** Called once the outbox has closed and nothing is in flight: release pooled connections. */
  readonly release?: () => Promise<void> | void;
}
