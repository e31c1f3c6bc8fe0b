import { BODY_PREFIX_BYTES } from '../delivery/fetch-transport.js';
import type { Sender } from '../delivery/run-attempt.js';
import { buildRequest } from './build-request.js';
import type { Transport } from './http-request.js';
import type { HttpIntegration } from './integrations.js';

/**
 * A Slack or webhook integration: render the request for this attempt (signed with this attempt's time) and
 * send it. The result is the status, judged by §8; the body's start follows on its own, capped, never rejects.
 */
export function httpSender(integration: HttpIntegration, transport: Transport): Sender {
  return async (firing, signal, now) => {
    const request = buildRequest(firing, integration, now);
    try {
      const response = await transport.send(request, signal);
      const retryAfter = response.header('retry-after');
      const prefix = response.bodyPrefix;
      const body =
        prefix === undefined
          ? undefined
          : Promise.resolve(prefix).then(
              (text) => (typeof text === 'string' ? text.slice(0, BODY_PREFIX_BYTES) : ''),
              () => '',
            );
      return {
        status: response.status,
        ...(retryAfter !== undefined && { retryAfter }),
        ...(body !== undefined && { body }),
      };
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return { error: `${error instanceof Error ? error.message : String(error)}${cause}` };
    }
  };
}
