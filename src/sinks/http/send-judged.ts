import { BODY_PREFIX_BYTES } from '../delivery/fetch-transport.js';
import { judgeStatus, parseRetryAfter, type Verdict } from '../delivery/retry-policy.js';
import type { AttemptResult } from '../delivery/run-attempt.js';
import type { HttpRequest, Transport } from './http-request.js';

/** A destination's reading of an HTTP answer: the verdict, and the least wait before a retry. */
export type HttpJudgement = { readonly verdict: Verdict; readonly retryAfterMs?: number };

/** Reads a status and its headers at `now` (engine clock). */
export type HttpJudge = (
  status: number,
  header: (name: string) => string | undefined,
  now: number,
) => HttpJudgement;

/** §8's reading: 200–204 delivered; 400, 401, 403, 413 final; the rest retried; Retry-After honoured. */
export const defaultJudge: HttpJudge = (status, header, now) => {
  const retryAfterMs = parseRetryAfter(header('retry-after'), now);
  return { verdict: judgeStatus(status), ...(retryAfterMs !== undefined && { retryAfterMs }) };
};

/**
 * Send one request and judge the answer with the destination's own judge. The result is decided on the
 * status and headers; the body's capped start follows on its own, for history, and never rejects.
 */
export async function sendJudged(
  transport: Transport,
  request: HttpRequest,
  signal: AbortSignal,
  now: number,
  judge: HttpJudge,
): Promise<AttemptResult> {
  try {
    const response = await transport.send(request, signal);
    const { verdict, retryAfterMs } = judge(response.status, (name) => response.header(name), now);
    const prefix = response.bodyPrefix;
    const body =
      prefix === undefined
        ? undefined
        : Promise.resolve(prefix).then(
            (text) => (typeof text === 'string' ? text.slice(0, BODY_PREFIX_BYTES) : ''),
            () => '',
          );
    return {
      verdict,
      status: response.status,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
      ...(body !== undefined && { body }),
    };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { error: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
}
