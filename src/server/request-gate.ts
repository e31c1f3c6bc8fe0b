import type { Clock } from '../index.js';

export type GateLimits = {
  readonly inFlight: number;
  readonly tokenRate: number;
  readonly tokenBurst: number;
  readonly tokenConcurrency: number;
};

type Bucket = { tokens: number; at: number; inFlight: number };

/** Why a request was turned away, and when to try again (seconds, for Retry-After). */
export type Refusal = { readonly reason: 'saturated' | 'rate' | 'concurrency'; readonly retryAfter: number };

/**
 * Bounds on the requests being handled: in flight over all tokens, and per principal a token bucket (rate,
 * burst) and an in-flight count. `enter` admits or refuses before the body is read; `leave` once answered.
 */
export class RequestGate {
  readonly #limits: GateLimits;
  readonly #clock: Clock;
  readonly #buckets = new Map<string, Bucket>();
  #inFlight = 0;

  constructor(limits: GateLimits, clock: Clock) {
    this.#limits = limits;
    this.#clock = clock;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Admit a request of `principal` (undefined: not counted per principal); a refusal changes nothing. */
  enter(principal: string | undefined): Refusal | undefined {
    if (this.#inFlight >= this.#limits.inFlight) return { reason: 'saturated', retryAfter: 1 };
    if (principal !== undefined) {
      const bucket = this.#refill(principal);
      if (bucket.inFlight >= this.#limits.tokenConcurrency) return { reason: 'concurrency', retryAfter: 1 };
      if (bucket.tokens < 1)
        return {
          reason: 'rate',
          retryAfter: Math.max(1, Math.ceil((1 - bucket.tokens) / this.#limits.tokenRate)),
        };
      bucket.tokens -= 1;
      bucket.inFlight += 1;
    }
    this.#inFlight += 1;
    return undefined;
  }

  leave(principal: string | undefined): void {
    this.#inFlight -= 1;
    if (principal === undefined) return;
    const bucket = this.#buckets.get(principal);
    if (bucket !== undefined) bucket.inFlight -= 1;
  }

  #refill(principal: string): Bucket {
    const now = this.#clock.now();
    let bucket = this.#buckets.get(principal);
    if (bucket === undefined) {
      bucket = { tokens: this.#limits.tokenBurst, at: now, inFlight: 0 };
      this.#buckets.set(principal, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(this.#limits.tokenBurst, bucket.tokens + elapsed * this.#limits.tokenRate);
    bucket.at = now;
    return bucket;
  }
}
