import type { DeliveryEntry } from './delivery-entry.js';
import type { DeliveryPolicy } from './delivery-policy.js';
import { type RateLimit, TokenBucket } from './token-bucket.js';

/** An integration's rate limit; integrations with the same `key` share one bucket (Slack: per webhook URL). */
export type IntegrationLimit = { readonly limit: RateLimit; readonly key: string };

/** What the rate limits say about a due delivery: go now (a token taken from each bucket), wait until, or skip. */
export type Admission =
  | { readonly kind: 'go' }
  | { readonly kind: 'wait'; readonly until: number }
  | { readonly kind: 'skip' };

const GO: Admission = { kind: 'go' };
const SKIP: Admission = { kind: 'skip' };

/** The rate-limit stage: per integration (shared by key) and per automation, as token buckets on the clock. */
export class RateLimits {
  readonly #integrationLimits: ReadonlyMap<string, IntegrationLimit>;
  readonly #integrationBuckets = new Map<string, TokenBucket>();
  readonly #automationBuckets = new Map<string, TokenBucket>();

  constructor(integrationLimits: ReadonlyMap<string, IntegrationLimit>) {
    this.#integrationLimits = integrationLimits;
  }

  /**
   * Take a token from every bucket the delivery needs, or none when one is empty: then it waits for the last
   * bucket's token, or is skipped when its automation says so. Skipping is a choice about new firings: a retry
   * already owes its receiver a delivery, so it waits.
   */
  admit(entry: DeliveryEntry, policy: DeliveryPolicy, now: number): Admission {
    const buckets = this.#bucketsFor(entry, policy.rateLimit, now);
    if (buckets.length === 0) return GO;
    const at = Math.max(now, ...buckets.map((b) => b.availableAt(now)));
    if (at > now)
      return policy.onRateLimit === 'skip' && entry.attempts.length === 0
        ? SKIP
        : { kind: 'wait', until: at };
    for (const b of buckets) b.take(now);
    return GO;
  }

  #bucketsFor(entry: DeliveryEntry, automationLimit: RateLimit | undefined, now: number): TokenBucket[] {
    const out: TokenBucket[] = [];
    const name = entry.integration;
    const integrationLimit = name === undefined ? undefined : this.#integrationLimits.get(name);
    if (integrationLimit !== undefined)
      out.push(bucketIn(this.#integrationBuckets, integrationLimit.key, integrationLimit.limit, now));
    if (automationLimit !== undefined)
      out.push(bucketIn(this.#automationBuckets, entry.firing.automationId, automationLimit, now));
    return out;
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
