import type { Firing } from '../../core/firing.js';
import type { AttemptOutcome } from './retry-policy.js';

export type DeliveryStatus = 'pending' | 'finished' | 'failed' | 'skipped';

/** One try: when, how long, and what came back (a status code, or the error). */
export type DeliveryAttempt = {
  readonly time: number;
  readonly durationMs: number;
  readonly outcome: AttemptOutcome;
  readonly status?: number;
  readonly error?: string;
  /** The start of the receiver's answer (at most 4 KiB, secrets redacted); on the newest attempt only. */
  readonly body?: string;
};

export type DeadLetterReason =
  | 'NonRetriableStatus'
  | 'MaxDeliveryAttemptsExceeded'
  | 'TimeToLiveExceeded'
  | 'UnknownIntegration';

/** A firing's delivery, from `pending` to `finished`, `failed` (dead-lettered) or `skipped` (rate limit). */
export type DeliveryRecord = {
  readonly firingId: string;
  readonly automationId: string;
  readonly automationName: string;
  /** The integration its action names; absent for DoNothing. */
  readonly integration?: string;
  readonly status: DeliveryStatus;
  readonly attempts: readonly DeliveryAttempt[];
  /** When the firing was handed to the deliverer (its clock: the engine's, in an engine). */
  readonly publishTime: number;
  /** While pending: when the next attempt is due. */
  readonly dueTime?: number;
  readonly deadLetterReason?: DeadLetterReason;
  readonly firing: Firing;
};

/** What a dead-letter sink receives (Event Grid's dead-letter fields, times in epoch ms). */
export type DeadLetter = {
  readonly firing: Firing;
  readonly automationId: string;
  readonly automationName: string;
  readonly integration: string;
  readonly deadLetterReason: DeadLetterReason;
  readonly deliveryAttempts: number;
  readonly lastDeliveryOutcome: AttemptOutcome | 'None';
  readonly lastHttpStatusCode?: number;
  readonly publishTime: number;
  readonly lastDeliveryAttemptTime?: number;
};
