import type { Firing } from '../../streams/firing.js';
import { buildRequest } from '../http/build-request.js';
import type { Transport } from '../http/http-request.js';
import type { HttpIntegration } from '../http/integrations.js';
import type { Integration } from '../integration.js';
import { BODY_PREFIX_BYTES } from './fetch-transport.js';
import type { Deliverer } from './run-attempt.js';

/** A custom sink: success when `deliver` returns or resolves; a throw or rejection is a failed attempt. */
export function sinkDeliverer(sink: Integration): Deliverer {
  return async (firing: Firing, signal: AbortSignal) => {
    try {
      await sink.deliver(firing, signal);
      return { ok: true };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error), fromSink: true };
    }
  };
}

/**
 * An HTTP integration: render the request for this attempt (signed with this attempt's time) and send it.
 * The result is the status; the body's start follows on its own, capped, and never rejects.
 */
export function httpDeliverer(integration: HttpIntegration, transport: Transport): Deliverer {
  return async (firing: Firing, signal: AbortSignal, now: number) => {
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

/**
 * A secret as it can appear in a recorded text: as it is, and as a rendered payload's JSON writes it (quotes and
 * backslashes escaped), escaped form first so that neither half of it survives the other's replacement.
 */
function forms(secret: string): string[] {
  const escaped = JSON.stringify(secret).slice(1, -1);
  return escaped === secret ? [secret] : [escaped, secret];
}

/**
 * Every string of an integration that must never be shown: URLs with tokens in them, secrets, access tokens
 * (which `${ACCESS_TOKEN}` also puts in a payload), in each form a payload can carry them.
 */
export function secretsOf(integration: HttpIntegration): string[] {
  if (integration.type === 'SlackIntegration') return [integration.webhookUrl];
  return [
    ...(integration.secret !== undefined ? [integration.secret] : []),
    ...(integration.accessToken !== undefined ? [integration.accessToken] : []),
    ...Object.values(integration.secrets ?? {}),
  ].flatMap(forms);
}
