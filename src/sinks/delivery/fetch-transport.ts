import { z } from 'zod';
import { isInstance } from '../../definitions/is-instance.js';
import { parseInput } from '../../definitions/parse.js';
import { DefinitionError } from '../../errors/definition-error.js';
import { issue } from '../../errors/issue.js';
import type { HttpRequest, HttpResponse, Transport } from '../http/http-request.js';

const requestSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  method: z.literal('POST'),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
});

/**
 * The default transport: Node's fetch. Redirects are not followed (a redirect could lead a signed request to
 * a host nobody allowed), and the body is drained so the connection can be reused. A request that is no
 * `{ url, method: 'POST', headers, body }`, or a signal that is no AbortSignal, rejects with a DefinitionError.
 */
export const fetchTransport: Transport = Object.freeze({
  async send(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    const r = parseInput(requestSchema, request, 'HTTP request');
    if (!isInstance(signal, AbortSignal))
      throw new DefinitionError(
        [issue('invalid_type', ['signal'], 'expected an AbortSignal', signal)],
        'send',
      );
    const response = await fetch(r.url, {
      method: r.method,
      headers: r.headers,
      body: r.body,
      signal,
      redirect: 'manual',
    });
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status, header: (name: string) => response.headers.get(name) ?? undefined };
  },
});
