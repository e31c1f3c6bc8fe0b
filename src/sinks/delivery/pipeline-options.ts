import type { Clock } from '../../clock/clock.js';
import type { Issue } from '../../errors/issue.js';
import type { DeliveryLedger } from './delivery-ledger.js';
import type { DeliveryPolicy } from './delivery-policy.js';
import type { DeadLetter, DeliveryRecord } from './delivery-record.js';
import type { IntegrationLimit } from './rate-limits.js';
import type { Sender } from './run-attempt.js';

/** What the delivery pipeline is built from: everything resolved, validated and defaulted by createDeliverer. */
export type PipelineOptions = {
  readonly clock: Clock;
  /** One sender per integration name. */
  readonly senders: ReadonlyMap<string, Sender>;
  readonly policyOf: (automationId: string) => DeliveryPolicy;
  readonly integrationLimits: ReadonlyMap<string, IntegrationLimit>;
  readonly concurrency: number;
  readonly attemptTimeoutMs: number;
  readonly random: () => number;
  readonly secrets: readonly string[];
  readonly ledger: DeliveryLedger;
  readonly writeDeadLetter?: (letter: DeadLetter) => Promise<void>;
  readonly onRecord: (record: DeliveryRecord) => void;
  readonly onDelivered: (record: DeliveryRecord) => void;
  readonly onDeadLetter: (letter: DeadLetter) => void;
  readonly onIssue: (issue: Issue) => void;
  /** False when nobody listens for records: then none is built as it changes (history() builds its own). */
  readonly wantsRecords: () => boolean;
  /** Called once the pipeline has closed and nothing is in flight: release pooled connections. */
  readonly release?: () => Promise<void> | void;
};
