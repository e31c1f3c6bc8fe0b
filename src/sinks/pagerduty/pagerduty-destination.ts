import { judgeStatus, parseRetryAfter } from '../delivery/retry-policy.js';
import type { Destination } from '../destination.js';
import { type HttpJudge, sendJudged } from '../http/send-judged.js';
import { checkUrl } from '../http/url-policy.js';
import { wrongAction } from '../wrong-action.js';
import { renderPagerDutyEvent } from './pagerduty-event.js';
import { isPagerDutyIntegration, type PagerDutyIntegration } from './pagerduty-integration.js';

/** PagerDuty asks for "a backoff of a few minutes" after 429: never sooner than this. */
export const PAGERDUTY_429_WAIT_MS = 2 * 60_000;

/**
 * PagerDuty's published answers: 202 accepted; 400 invalid event (final); 429 throttled and 5xx (retried,
 * 429 after at least two minutes); the rest as §8 reads them.
 */
export const judgePagerDuty: HttpJudge = (status, header, now) => {
  const retryAfterMs = parseRetryAfter(header('retry-after'), now);
  const least = status === 429 ? Math.max(PAGERDUTY_429_WAIT_MS, retryAfterMs ?? 0) : retryAfterMs;
  return { verdict: judgeStatus(status), ...(least !== undefined && { retryAfterMs: least }) };
};

/** PagerDuty Events API v2: SendPagerDuty opens (or joins, by dedup_key) an alert. */
export const pagerDutyDestination: Destination<PagerDutyIntegration> = {
  type: 'PagerDutyIntegration',
  actions: ['SendPagerDuty'],
  is: isPagerDutyIntegration,
  secrets: (p) => [p.routingKey],
  check: (p, policy, path) => checkUrl(p.url, policy, [...path, 'url']),
  sender(p, { transport }) {
    return async (firing, signal, now) => {
      const action = firing.action;
      if (action.type !== 'SendPagerDuty') return wrongAction(action.type, p.type);
      const body = JSON.stringify(renderPagerDutyEvent(firing, action, p));
      const request = {
        url: p.url,
        method: 'POST' as const,
        headers: { 'content-type': 'application/json' },
        body,
      };
      return sendJudged(transport, request, signal, now, judgePagerDuty);
    };
  },
};
