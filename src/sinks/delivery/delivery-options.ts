import { z } from 'zod';
import type { Transport } from '../http/http-request.js';
import type { MailTransport } from '../mail-transport.js';
import type { DeadLetterSink } from './dead-letter-sink.js';
import type { RateLimit } from './token-bucket.js';

/** How the engine delivers firings. Every field has a default. */
export interface DeliveryOptions {
  /** Attempts in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Each attempt is aborted after this long (engine clock). @default 30_000 */
  readonly attemptTimeoutMs?: number;
  /** Sends HTTP requests. @default Node's fetch, redirects not followed */
  readonly transport?: Transport;
  /** Sends email for EmailIntegrations. @default nodemailer, a small connection pool per server */
  readonly mailTransport?: MailTransport;
  /** Where dead letters go: a callback, or `{ file }` for JSONL. @default none (still in history and on 'dead-lettered') */
  readonly deadLetter?: DeadLetterSink;
  /** Per-integration rate limits by name. @default Slack integrations 1 per second, others none */
  readonly rateLimits?: Readonly<Record<string, RateLimit>>;
  /** Only these hosts may be delivered to (`*.example.com` wildcards). @default any host */
  readonly allowHosts?: readonly string[];
  /** Allow link-local and cloud-metadata addresses, refused by default. @default false */
  readonly allowPrivateMetadata?: boolean;
  /** Jitter source for retry delays, 0 ≤ x < 1. @default Math.random */
  readonly random?: () => number;
  /** Finished, failed and skipped records kept for `history()`. @default 10_000 */
  readonly historyLimit?: number;
}

const rateLimit = z
  .object({ perSecond: z.number().positive(), burst: z.number().int().min(1).optional() })
  .strict();

export const deliveryOptionsSchema = z
  .object({
    concurrency: z.number().int().min(1).max(1024).optional(),
    attemptTimeoutMs: z.number().int().min(1).max(600_000).optional(),
    transport: z
      .custom<Transport>((t) => typeof (t as Transport | undefined)?.send === 'function', {
        message: 'expected { send(request, signal) }',
      })
      .optional(),
    mailTransport: z
      .custom<MailTransport>((t) => typeof (t as MailTransport | undefined)?.send === 'function', {
        message: 'expected { send(server, message, signal) }',
      })
      .optional(),
    deadLetter: z
      .union([
        z.custom<(letter: never) => void>((f) => typeof f === 'function', { message: 'expected a function' }),
        z.object({ file: z.string().min(1) }).strict(),
      ])
      .optional(),
    rateLimits: z.record(z.string(), rateLimit).optional(),
    allowHosts: z.array(z.string().min(1)).optional(),
    allowPrivateMetadata: z.boolean().optional(),
    random: z
      .custom<() => number>((f) => typeof f === 'function', { message: 'expected a function' })
      .optional(),
    historyLimit: z.number().int().min(0).max(10_000_000).optional(),
  })
  .strict();
