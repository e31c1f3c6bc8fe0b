import type { HttpRequest, HttpResponse, Transport } from '../http/http-request.js';

/**
 * The default transport: Node's fetch. Redirects are not followed (a redirect could lead a signed request to
 * a host nobody allowed), and the body is drained so the connection can be reused.
 */
export const fetchTransport: Transport = Object.freeze({
  async send(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
      redirect: 'manual',
    });
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status, header: (name: string) => response.headers.get(name) ?? undefined };
  },
});
