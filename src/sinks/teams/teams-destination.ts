import type { Destination } from '../destination.js';
import { secretUrlForms } from '../http/secret-url.js';
import { defaultJudge, sendJudged } from '../http/send-judged.js';
import { checkUrl } from '../http/url-policy.js';
import { REDACTED } from '../http/webhook-secret.js';
import { wrongAction } from '../wrong-action.js';
import { renderTeamsMessage } from './teams-card.js';
import { isTeamsIntegration, type TeamsIntegration } from './teams-integration.js';

/** Microsoft Teams workflow webhooks: 200 or 202 delivered; 429 and 5xx retried (Retry-After honoured); 400 final. */
export const teamsDestination: Destination<TeamsIntegration> = {
  type: 'TeamsIntegration',
  actions: ['SendTeamsMessage'],
  is: isTeamsIntegration,
  // The URL carries the workflow's signature (`sig=`): it is the credential, like Slack's.
  secrets: (t) => secretUrlForms(t.webhookUrl),
  check: (t, policy, path) =>
    checkUrl(t.webhookUrl, policy, [...path, 'webhookUrl']).map((i) => ({ ...i, value: REDACTED })),
  sender(t, { transport }) {
    return async (firing, signal, now) => {
      const action = firing.action;
      if (action.type !== 'SendTeamsMessage') return wrongAction(action.type, t.type);
      const body = JSON.stringify(renderTeamsMessage(firing, action));
      const request = {
        url: t.webhookUrl,
        method: 'POST' as const,
        headers: { 'content-type': 'application/json' },
        body,
      };
      return sendJudged(transport, request, signal, now, defaultJudge);
    };
  },
};
