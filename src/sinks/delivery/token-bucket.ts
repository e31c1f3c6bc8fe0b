/** A rate limit: `perSecond` tokens a second, up to `burst` saved; timed on the clock it is given. */
export type RateLimit = { readonly perSecond: number; readonly burst?: number };

export class TokenBucket {
  readonly #ratePerMs: number;
  readonly #capacity: number;
  #tokens: number;
  #at: number;

  constructor(limit: RateLimit, now: number) {
    this.#ratePerMs = limit.perSecond / 1000;
    this.#capacity = Math.max(1, limit.burst ?? 1);
    this.#tokens = this.#capacity;
    this.#at = now;
  }

  /** When a token will be there (now, or later). */
  availableAt(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? now : now + Math.ceil((1 - this.#tokens) / this.#ratePerMs);
  }

  /** Take a token if there is one. */
  take(now: number): boolean {
    this.#refill(now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #refill(now: number): void {
    if (now > this.#at)
      this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#at) * this.#ratePerMs);
    this.#at = Math.max(this.#at, now);
  }
}
