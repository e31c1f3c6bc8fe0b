/** Where time comes from. The core reads no other source of time, so tests run on virtual time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Run `callback` once, `delayMs` from now; returns a cancel function. Delivery (retries, timeouts, rate
   * limits) needs timers; a clock without this gets them from the system timer, on its own `now()`.
   */
  setTimer?(callback: () => void, delayMs: number): () => void;
}

/** A timer on the given clock, or on the system timer when the clock has none. */
export function setTimer(clock: Clock, callback: () => void, delayMs: number): () => void {
  if (clock.setTimer !== undefined) return clock.setTimer(callback, delayMs);
  const handle = setTimeout(callback, Math.max(0, delayMs));
  // A pending retry must not keep the host process alive on its own.
  handle.unref?.();
  return () => clearTimeout(handle);
}
