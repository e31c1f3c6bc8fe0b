/** The retry schedule of §8: after attempt n fails, wait SCHEDULE[n-1] (then every 12 h), with jitter. */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
export const RETRY_SCHEDULE_MS: readonly number[] = [
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
];
export const LATER_RETRY_MS = 12 * HOUR;
/** ±10 %: spreads retries of many firings that failed together, without breaking the schedule's shape. */
export const JITTER = 0.1;

/** Minimum waits after some statuses (§8): the receiver said "not here" or "not now". */
const MINIMUM_WAIT_MS: Readonly<Record<number, number>> = {
  404: 5 * MINUTE,
  408: 2 * MINUTE,
  503: 30 * SECOND,
};
/** Never retried: the request itself is wrong, and sending it again cannot help. */
const NON_RETRIABLE: ReadonlySet<number> = new Set([400, 401, 403, 413]);

export type AttemptOutcome =
  | 'Delivered'
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'PayloadTooLarge'
  | 'NotFound'
  | 'RequestTimeout'
  | 'TooManyRequests'
  | 'ServiceUnavailable'
  | 'GenericError'
  | 'TimedOut'
  | 'NetworkError'
  | 'SinkError'
  /** A destination's own "not now" (an SMTP 4xx reply). */
  | 'TransientFailure'
  /** A destination's own "never" (an SMTP 5xx reply, GitHub's 422). */
  | 'PermanentFailure';

export type Verdict = { readonly kind: 'delivered' | 'retry' | 'give-up'; readonly outcome: AttemptOutcome };

const OUTCOME_OF: Readonly<Record<number, AttemptOutcome>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  408: 'RequestTimeout',
  413: 'PayloadTooLarge',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
};

/** Success only on 200–204; 400, 401, 403 and 413 are final; everything else is worth another try. */
export function judgeStatus(status: number): Verdict {
  if (status >= 200 && status <= 204) return { kind: 'delivered', outcome: 'Delivered' };
  const outcome = OUTCOME_OF[status] ?? 'GenericError';
  return { kind: NON_RETRIABLE.has(status) ? 'give-up' : 'retry', outcome };
}

/**
 * How long to wait after the `attempts`-th failed attempt: the schedule with jitter, raised to the status's
 * minimum wait and to the receiver's Retry-After.
 */
export function retryDelay(
  attempts: number,
  random: () => number,
  status?: number,
  retryAfterMs?: number,
): number {
  const base = RETRY_SCHEDULE_MS[attempts - 1] ?? LATER_RETRY_MS;
  const jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random()));
  const minimum = status === undefined ? 0 : (MINIMUM_WAIT_MS[status] ?? 0);
  return Math.max(jittered, minimum, retryAfterMs ?? 0);
}

/** Retry-After as delta-seconds or an HTTP-date (RFC 9110), in ms from `now`; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * SECOND;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
