import type { DeliveryAttempt } from './delivery-record.js';
import { redact } from './redact.js';
import { type AttemptOutcome, judgeStatus, parseRetryAfter } from './retry-policy.js';
import type { SettledAttempt } from './run-attempt.js';

/** What a settled attempt means for its delivery: the attempt to record, and what comes next. */
export type JudgedAttempt = {
  readonly attempt: DeliveryAttempt;
  readonly next: 'finished' | 'retry' | 'give-up';
  /** The HTTP status, when one came back (the retry schedule's minimum waits read it). */
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** A custom sink's failure (redacted), to report. */
  readonly sinkError?: string;
};

/** Success, a status (judged by §8), or an error (a timeout, the network, or a custom sink); secrets redacted. */
export function judgeAttempt(settled: SettledAttempt, secrets: readonly string[]): JudgedAttempt {
  const { result, started, decided, aborted, body } = settled;
  const base = { time: started, durationMs: decided - started };
  if ('ok' in result) return { attempt: { ...base, outcome: 'Delivered' }, next: 'finished' };
  if ('verdict' in result) {
    const { verdict, status, error, retryAfterMs } = result;
    return {
      attempt: {
        ...base,
        outcome: verdict.outcome,
        ...(status !== undefined && { status }),
        ...(error !== undefined && { error: redact(error, secrets) }),
        // A body is always a capped prefix: a secret cut at its end is hidden too.
        ...(body !== undefined && body !== '' && { body: redact(body, secrets, { truncated: true }) }),
      },
      next: verdict.kind === 'delivered' ? 'finished' : verdict.kind,
      ...(status !== undefined && { status }),
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    };
  }
  if ('status' in result) {
    const verdict = judgeStatus(result.status);
    const retryAfterMs = parseRetryAfter(result.retryAfter, decided);
    return {
      attempt: {
        ...base,
        outcome: verdict.outcome,
        status: result.status,
        ...(body !== undefined && body !== '' && { body: redact(body, secrets, { truncated: true }) }),
      },
      next: verdict.kind === 'delivered' ? 'finished' : verdict.kind,
      status: result.status,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    };
  }
  const outcome: AttemptOutcome = aborted
    ? 'TimedOut'
    : result.fromSink === true
      ? 'SinkError'
      : 'NetworkError';
  const error = redact(result.error, secrets);
  return {
    attempt: { ...base, outcome, error },
    next: 'retry',
    ...(result.fromSink === true && { sinkError: error }),
  };
}
