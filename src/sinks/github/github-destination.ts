import { judgeStatus, parseRetryAfter, type Verdict } from '../delivery/retry-policy.js';
import type { Destination } from '../destination.js';
import { type HttpJudge, sendJudged } from '../http/send-judged.js';
import { checkUrl } from '../http/url-policy.js';
import { wrongAction } from '../wrong-action.js';
import { dispatchRequest } from './github-dispatch.js';
import { type GitHubIntegration, isGitHubIntegration } from './github-integration.js';

const RETRY_LIMITED: Verdict = { kind: 'retry', outcome: 'TooManyRequests' };

/** When GitHub's rate limit resets (`x-ratelimit-reset`, epoch seconds), as a wait from `now`. */
function resetWait(header: (name: string) => string | undefined, now: number): number | undefined {
  const reset = Number(header('x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : undefined;
}

/**
 * GitHub's answers to a dispatch: 204 delivered; 422 (validation failed) and 401 final; 403 or 429 from a
 * rate limit (`retry-after`, or `x-ratelimit-remaining: 0`) retried when it resets, any other 403 final;
 * 5xx retried; the rest as §8 reads them.
 */
export const judgeGitHub: HttpJudge = (status, header, now) => {
  const retryAfterMs = parseRetryAfter(header('retry-after'), now);
  if (status === 422) return { verdict: { kind: 'give-up', outcome: 'PermanentFailure' } };
  const limited = retryAfterMs !== undefined || header('x-ratelimit-remaining') === '0';
  if ((status === 403 || status === 429) && limited) {
    const wait = retryAfterMs ?? resetWait(header, now);
    return { verdict: RETRY_LIMITED, ...(wait !== undefined && { retryAfterMs: wait }) };
  }
  return { verdict: judgeStatus(status), ...(retryAfterMs !== undefined && { retryAfterMs }) };
};

/** GitHub `repository_dispatch`: DispatchGitHubWorkflow starts the workflows listening for `eventType`. */
export const gitHubDestination: Destination<GitHubIntegration> = {
  type: 'GitHubIntegration',
  actions: ['DispatchGitHubWorkflow'],
  is: isGitHubIntegration,
  secrets: (g) => [g.token],
  check: (g, policy, path) => checkUrl(g.apiUrl, policy, [...path, 'apiUrl']),
  sender(g, { transport }) {
    return async (firing, signal, now) => {
      const action = firing.action;
      if (action.type !== 'DispatchGitHubWorkflow') return wrongAction(action.type, g.type);
      return sendJudged(transport, dispatchRequest(firing, action, g), signal, now, judgeGitHub);
    };
  },
};
