import { z } from 'zod';
import { setTimer } from '../../clock/clock.js';
import { systemClock } from '../../clock/system-clock.js';
import { isInstance } from '../../definitions/is-instance.js';
import { parseInput } from '../../definitions/parse.js';
import { DefinitionError } from '../../errors/definition-error.js';
import { issue } from '../../errors/issue.js';
import type { HttpRequest, HttpResponse, Transport } from '../http/http-request.js';

/** The most of an answer's body read, for history. */
export const BODY_PREFIX_BYTES = 4096;
/** How long that prefix may take to arrive: real time, the socket's, whatever clock the engine runs on. */
const BODY_PREFIX_MS = 1000;

const requestSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  method: z.literal('POST'),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
});

/**
 * The default transport: Node's fetch. Redirects are not followed (a redirect could lead a signed request to
 * a host nobody allowed). It answers as soon as the status line and headers are in; the body is read only
 * for a short capped prefix, then cancelled, so a slow or endless body can neither hold an attempt nor fill
 * memory. A request that is no `{ url, method: 'POST', headers, body }`, or a signal that is no AbortSignal,
 * rejects with a DefinitionError.
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
    return {
      status: response.status,
      header: (name: string) => response.headers.get(name) ?? undefined,
      bodyPrefix: readPrefix(response.body),
    };
  },
});

/** Up to BODY_PREFIX_BYTES within BODY_PREFIX_MS, then the rest is cancelled (the connection is dropped). */
async function readPrefix(body: ReadableStream<Uint8Array> | null): Promise<string> {
  if (body === null) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let cancelTimer: () => void = () => undefined;
  const expired = new Promise<undefined>((resolve) => {
    cancelTimer = setTimer(systemClock, () => resolve(undefined), BODY_PREFIX_MS);
  });
  try {
    while (size < BODY_PREFIX_BYTES) {
      const next = await Promise.race([reader.read(), expired]);
      if (next === undefined || next.done) break;
      chunks.push(next.value);
      size += next.value.byteLength;
    }
  } catch {
    // Aborted or reset mid-body: what arrived is still worth keeping.
  } finally {
    cancelTimer();
    reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, BODY_PREFIX_BYTES).toString('utf8');
}
