import type { AutomationRateLimit, RetryPolicy } from '../../schema/automation.js';
import type { RateLimit } from './token-bucket.js';

/** Event Grid's defaults (§8): 30 attempts, a time to live of 1440 minutes. */
export const DEFAULT_MAX_DELIVERY_ATTEMPTS = 30;
export const DEFAULT_TTL_MINUTES = 1440;

/** What an automation says about its deliveries: a saved `Automation` has both fields. */
export type AutomationDeliverySettings = {
  readonly retryPolicy?: RetryPolicy;
  readonly rateLimit?: AutomationRateLimit;
};

/** An automation's delivery settings with defaults applied, looked up when needed so updates apply to pending firings. */
export type DeliveryPolicy = {
  readonly maxDeliveryAttempts: number;
  readonly timeToLiveMs: number;
  readonly rateLimit?: RateLimit;
  readonly onRateLimit: 'queue' | 'skip';
};

export function deliveryPolicy(settings: AutomationDeliverySettings | undefined): DeliveryPolicy {
  return {
    maxDeliveryAttempts: settings?.retryPolicy?.maxDeliveryAttempts ?? DEFAULT_MAX_DELIVERY_ATTEMPTS,
    timeToLiveMs: (settings?.retryPolicy?.eventTimeToLiveInMinutes ?? DEFAULT_TTL_MINUTES) * 60_000,
    ...(settings?.rateLimit !== undefined && { rateLimit: settings.rateLimit }),
    onRateLimit: settings?.rateLimit?.onLimit ?? 'queue',
  };
}
