import { z } from 'zod';
import type { Clock } from '../../clock/clock.js';
import type { Issue } from '../../errors/issue.js';
import type { AnyIntegration } from '../destinations.js';
import { destinationOf } from '../destinations.js';
import { redactedInput } from '../http/redaction.js';
import { type DeliveryOptions, deliveryOptionFields, oneHistoryLimit } from './delivery-options.js';
import type { AutomationDeliverySettings } from './delivery-policy.js';
import type { DeadLetter, DeliveryRecord } from './delivery-record.js';

/** `createDeliverer`'s options: where to deliver, on which clock, the delivery options, and what to tell you. */
export interface DelivererOptions extends DeliveryOptions {
  /**
   * Where time comes from: retries, attempt timeouts, rate limits and digest windows run on it.
   * @default the system clock
   * @example new VirtualClock(Date.parse('2026-01-01T00:00:00Z'))
   */
  readonly clock?: Clock;
  /**
   * Integrations by the name actions use, as for `createEngine`. A firing whose action names none of them is
   * dead-lettered (`UnknownIntegration`).
   * @default {}
   * @example { alerts: SlackIntegration({ webhookUrl }), audit: new RecordingSink() }
   */
  readonly integrations?: Readonly<Record<string, AnyIntegration>>;
  /**
   * An automation's delivery settings (`retryPolicy`, `rateLimit`) by its id, asked each time they are needed,
   * so a change applies to deliveries already pending. A saved `Automation` is one.
   * @default none: 30 attempts, a time to live of 1440 minutes, no rate limit
   * @example (automationId) => automations.get(automationId)
   */
  readonly automation?: (automationId: string) => AutomationDeliverySettings | undefined;
  /** Every change of a delivery record: pending (enqueued, each retry scheduled), then finished, failed or skipped. */
  readonly onRecord?: (record: DeliveryRecord) => void;
  /** A delivery finished (200–204, or a custom sink returned). */
  readonly onDelivered?: (record: DeliveryRecord) => void;
  /** A delivery was given up: a non-retriable answer, attempts or time to live exhausted, an unknown integration. */
  readonly onDeadLetter?: (letter: DeadLetter) => void;
  /** Sink failures, dead letters, failing callbacks: each an `Issue`. */
  readonly onIssue?: (issue: Issue) => void;
  /**
   * Asked before a record is built for `onRecord` and `onDelivered`: answer false while nobody listens, and no
   * record is built (`history()` builds its own).
   * @default true when `onRecord` or `onDelivered` is given
   */
  readonly wantsRecords?: () => boolean;
}

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((f) => typeof f === 'function', { message: `expected ${what}` });

/** An integration object of any destination; a refused one is shown redacted (it may be a bare webhook URL). */
export const integrationSchema = z.unknown().transform((v, ctx): AnyIntegration => {
  if (destinationOf(v) !== undefined) return v as AnyIntegration;
  ctx.addIssue({
    code: 'custom',
    message:
      'expected an integration (SlackIntegration(...), EmailIntegration(...), …) or { deliver(firing, signal) }',
    input: redactedInput(v),
  });
  return z.NEVER;
});

export const delivererOptionsSchema = oneHistoryLimit(
  z
    .object({
      ...deliveryOptionFields,
      clock: z
        .custom<Clock>((c) => typeof (c as Clock | undefined)?.now === 'function', {
          message: 'expected { now(): number }',
        })
        .optional(),
      integrations: z.record(z.string().min(1).max(255), integrationSchema).optional(),
      automation: fn('(automationId) => { retryPolicy?, rateLimit? } | undefined').optional(),
      onRecord: fn('a function').optional(),
      onDelivered: fn('a function').optional(),
      onDeadLetter: fn('a function').optional(),
      onIssue: fn('a function').optional(),
      wantsRecords: fn('() => boolean').optional(),
    })
    .strict(),
);
