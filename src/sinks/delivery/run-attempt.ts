import { type Clock, setTimer } from '../../clock/clock.js';
import type { Firing } from '../../core/firing.js';
import type { Verdict } from './retry-policy.js';

/**
 * What one attempt came to: success, an HTTP status (with Retry-After and the body's start), an error, or the
 * destination's own verdict (an SMTP reply, an API whose statuses mean more than §8's defaults).
 */
export type AttemptResult =
  | { readonly ok: true }
  | { readonly status: number; readonly retryAfter?: string; readonly body?: Promise<string> }
  | { readonly error: string; readonly fromSink?: boolean }
  | JudgedResult;

/** A result the destination judged itself; `retryAfterMs` is the least wait before the next attempt. */
export type JudgedResult = {
  readonly verdict: Verdict;
  readonly status?: number;
  readonly error?: string;
  readonly retryAfterMs?: number;
  readonly body?: Promise<string>;
};

/** Makes one attempt for an integration; never throws (errors are results). */
export type Sender = (firing: Firing, signal: AbortSignal, now: number) => Promise<AttemptResult>;

/** How an attempt ended: the result, when it started and was decided, whether it was aborted, the body's start. */
export type SettledAttempt = {
  readonly result: AttemptResult;
  readonly started: number;
  readonly decided: number;
  readonly aborted: boolean;
  readonly body?: string;
};

/**
 * Start one attempt, ended by `timeoutMs` on the clock even if the sender ignores the signal (its late
 * result is dropped). Once the status decides it, the body's start is awaited only while the attempt could
 * still run (until its timeout or an abort), and never changes the outcome.
 */
export function runAttempt(
  send: Sender,
  firing: Firing,
  clock: Clock,
  timeoutMs: number,
): { readonly controller: AbortController; readonly settled: Promise<SettledAttempt> } {
  const controller = new AbortController();
  const started = clock.now();
  // Ended by an abort (the timeout, or close): settles at once, so the timeout wins over a late answer.
  let end: (result: AttemptResult) => void = () => undefined;
  const ended = new Promise<AttemptResult>((resolve) => {
    end = resolve;
  });
  controller.signal.addEventListener(
    'abort',
    () => {
      const reason: unknown = controller.signal.reason;
      end({ error: reason instanceof Error ? reason.message : String(reason) });
    },
    { once: true },
  );
  const cancelTimeout = setTimer(clock, () => controller.abort(new Error('timed out')), timeoutMs);
  const attempt = send(firing, controller.signal, started).catch(
    (error: unknown): AttemptResult => ({ error: error instanceof Error ? error.message : String(error) }),
  );
  const settled = Promise.race([attempt, ended]).then(async (result): Promise<SettledAttempt> => {
    const decided = clock.now();
    const aborted = controller.signal.aborted;
    const body =
      'body' in result && result.body !== undefined
        ? await Promise.race([result.body, ended.then(() => undefined)])
        : undefined;
    cancelTimeout();
    return { result, started, decided, aborted, ...(body !== undefined && { body }) };
  });
  return { controller, settled };
}
