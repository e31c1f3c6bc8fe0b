import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the server does with one request. */
export type Behaviour =
  /** Answer `status` with `headers`, after `delayMs` real milliseconds (a slow receiver) if given. */
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body?: string;
      readonly delayMs?: number;
    }
  /** Answer `status`, then send `chunk` every `intervalMs` real milliseconds: a body that never ends. */
  | { readonly kind: 'trickle'; readonly status: number; readonly chunk: string; readonly intervalMs: number }
  /** Answer `status`, then a body as fast as the client reads it, until `limitBytes` or the client goes away. */
  | { readonly kind: 'flood'; readonly status: number; readonly limitBytes: number }
  /** Never answer: the request stays open until the client gives up or the server closes. */
  | { readonly kind: 'hang' }
  /** Destroy the socket without answering: the client sees a connection reset. */
  | { readonly kind: 'reset' };

export const respond = (
  status: number,
  headers: Readonly<Record<string, string>> = {},
  delayMs?: number,
): Behaviour => ({ kind: 'respond', status, headers, ...(delayMs !== undefined && { delayMs }) });
export const trickle = (status: number, chunk = 'tick\n', intervalMs = 20): Behaviour => ({
  kind: 'trickle',
  status,
  chunk,
  intervalMs,
});
export const flood = (status: number, limitBytes = 64 << 20): Behaviour => ({
  kind: 'flood',
  status,
  limitBytes,
});
export const hang: Behaviour = { kind: 'hang' };
export const reset: Behaviour = { kind: 'reset' };

/** One request as it arrived: `index` is its arrival order (0-based), `at` the real time it was complete. */
export type RecordedRequest = {
  readonly index: number;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
};

/** A streamed answer (trickle or flood): how much of its body the server handed to the socket, and whether the
 * response is over (the client closed the connection, or the body ended). */
export type StreamedBody = {
  readonly requestIndex: number;
  readonly bytesWritten: number;
  readonly closed: boolean;
};

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  /** Every request, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Every trickled or flooded body, in the order they started. */
  readonly streamed: readonly StreamedBody[];
  /** Requests being handled now (arrived, not yet answered or dropped), and the most there ever were. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Queue behaviours for the next requests, in order; when the queue is empty, `otherwise` applies. */
  script(...behaviours: Behaviour[]): void;
  /** The behaviour for requests the queue does not cover (a fixed one, or chosen per request). */
  otherwise(behaviour: Behaviour | ((request: RecordedRequest) => Behaviour)): void;
  /** Resolves once at least `n` requests have arrived (polling real time, at most `timeoutMs`). */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  /** Stop listening and destroy every open socket, hanging requests included. Idempotent. */
  close(): Promise<void>;
}

/** Hard bounds, so a runaway test cannot flood or outlive itself. */
const MAX_REQUESTS = 5_000;
const MAX_LIFETIME_MS = 120_000;
const MAX_BODY_BYTES = 1 << 20;

/** A real HTTP server on 127.0.0.1 (a free port), answering 200 unless scripted otherwise. */
export async function startServer(initial: Behaviour = respond(200)): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const streamed: { requestIndex: number; bytesWritten: number; closed: boolean }[] = [];
  const queue: Behaviour[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let fallback: Behaviour | ((request: RecordedRequest) => Behaviour) = initial;
  let inFlight = 0;
  let maxInFlight = 0;
  let closing: Promise<void> | undefined;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = (): void => {
      if (!done) {
        done = true;
        inFlight--;
      }
    };
    res.on('close', finish);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      const recorded: RecordedRequest = {
        index: requests.length,
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      requests.push(recorded);
      const behaviour: Behaviour =
        requests.length > MAX_REQUESTS
          ? reset
          : (queue.shift() ?? (typeof fallback === 'function' ? fallback(recorded) : fallback));
      if (behaviour.kind === 'hang') return;
      if (behaviour.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (behaviour.kind === 'trickle' || behaviour.kind === 'flood') {
        const log = { requestIndex: recorded.index, bytesWritten: 0, closed: false };
        streamed.push(log);
        res.on('close', () => {
          log.closed = true;
        });
        res.writeHead(behaviour.status, { 'content-type': 'text/plain' });
        if (behaviour.kind === 'trickle') {
          const send = (): void => {
            if (res.destroyed) return;
            log.bytesWritten += Buffer.byteLength(behaviour.chunk);
            res.write(behaviour.chunk);
          };
          send();
          const timer = setInterval(send, behaviour.intervalMs);
          timers.add(timer);
          res.on('close', () => {
            clearInterval(timer);
            timers.delete(timer);
          });
          return;
        }
        const block = Buffer.alloc(64 * 1024, 0x61);
        const pump = (): void => {
          while (!res.destroyed && log.bytesWritten < behaviour.limitBytes) {
            log.bytesWritten += block.length;
            if (!res.write(block)) {
              res.once('drain', pump);
              return;
            }
          }
          if (!res.destroyed) res.end();
        };
        pump();
        return;
      }
      const answer = (): void => {
        if (res.destroyed) return;
        res.writeHead(behaviour.status, { ...behaviour.headers });
        res.end(behaviour.body ?? '');
      };
      if (behaviour.delayMs === undefined) answer();
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, behaviour.delayMs);
        timers.add(timer);
      }
    });
  };

  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      clearTimeout(lifetime);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
    });
    return closing;
  };
  // Self-stopping: a server a test forgot to close goes away on its own, and never holds the process open.
  const lifetime = setTimeout(() => void close(), MAX_LIFETIME_MS);
  lifetime.unref();

  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    streamed,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    script: (...behaviours) => {
      queue.push(...behaviours);
    },
    otherwise: (behaviour) => {
      fallback = behaviour;
    },
    waitForRequests: async (n, timeoutMs = 5_000) => {
      const deadline = performance.now() + timeoutMs;
      while (requests.length < n) {
        if (performance.now() > deadline)
          throw new Error(`expected ${n} requests within ${timeoutMs} ms, got ${requests.length}`);
        await new Promise((r) => setTimeout(r, 1));
      }
    },
    close,
  };
}
