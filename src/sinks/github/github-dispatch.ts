import type { Firing } from '../../core/firing.js';
import type { DispatchGitHubWorkflow } from '../../schema/destination-actions.js';
import { defaultPayload } from '../http/default-payload.js';
import type { HttpRequest } from '../http/http-request.js';
import { renderPayload, templateVariables } from '../http/templates.js';
import type { GitHubIntegration } from './github-integration.js';

/** The REST API version the request shape follows. */
export const GITHUB_API_VERSION = '2022-11-28';

/**
 * `POST /repos/{owner}/{repo}/dispatches` with `{ event_type, client_payload }`: the author's payload with
 * templates filled, or the firing's default payload (its ten keys fit GitHub's limit of ten).
 */
export function dispatchRequest(
  firing: Firing,
  action: DispatchGitHubWorkflow,
  github: GitHubIntegration,
): HttpRequest {
  const clientPayload =
    action.clientPayload === undefined
      ? defaultPayload(firing)
      : renderPayload(action.clientPayload, templateVariables(firing));
  return {
    url: `${github.apiUrl}/repos/${encodeURIComponent(github.owner)}/${encodeURIComponent(github.repo)}/dispatches`,
    method: 'POST',
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${github.token}`,
      'content-type': 'application/json',
      'user-agent': 'ml-automations',
      'x-github-api-version': GITHUB_API_VERSION,
    },
    body: JSON.stringify({ event_type: action.eventType, client_payload: clientPayload }),
  };
}
