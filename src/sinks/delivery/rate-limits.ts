import type { DeliveryEntry } from './delivery-entry.js';
import { type RateLimit, TokenBucket } from './token-bucket.js';

/** The token buckets an entry must take from: its integration's (shared by `key`) and its automation's. */
export class RateLimits {
  readonly #integrationLimits: ReadonlyMap<string, { readonly limit: RateLimit; readonly key: string }>;
  readonly #integrationBuckets = new Map<string, TokenBucket>();
  readonly #automationBuckets = new Map<string, TokenBucket>();

  constructor(integrationLimits: ReadonlyMap<string, { readonly limit: RateLimit; readonly key: string }>) {
    this.#integrationLimits = integrationLimits;
  }

  bucketsFor(entry: DeliveryEntry, automationLimit: RateLimit | undefined, now: number): TokenBucket[] {
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
