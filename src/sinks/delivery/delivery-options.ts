import { z } from 'zod';
import type { Transport } from '../http/http-request.js';
import type { MailTransport } from '../mail-transport.js';
import type { DeadLetterSink } from './dead-letter-sink.js';
import type { DeliveryLedger } from './delivery-ledger.js';
import { historyLimitSchema } from './memory-ledger.js';
import type { RateLimit } from './token-bucket.js';

/** How firings are delivered (an engine's `delivery` option, and `createDeliverer`'s). Every field has a default. */
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
  /** Finished, failed and skipped records kept for `history()` by the default ledger. @default 10_000 */
  readonly historyLimit?: number;
  /**
   * Where pending and ended deliveries are kept: `pending()` (and so snapshots), `restore()` and `history()` go
   * through it. Give `historyLimit` to a `MemoryLedger` when you give this.
   * @default new MemoryLedger({ historyLimit })
   * @example new MemoryLedger({ historyLimit: 100 })
   */
  readonly ledger?: DeliveryLedger;
}

const LEDGER_METHODS = ['add', 'update', 'end', 'pending', 'history'] as const;

const rateLimit = z
  .object({ perSecond: z.number().positive(), burst: z.number().int().min(1).optional() })
  .strict();

/** The fields of DeliveryOptions, for schemas that add their own (createDeliverer's). */
export const deliveryOptionFields = {
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
  historyLimit: historyLimitSchema.optional(),
  ledger: z
    .custom<DeliveryLedger>(
      (l) =>
        typeof l === 'object' &&
        l !== null &&
        LEDGER_METHODS.every((m) => typeof (l as Record<string, unknown>)[m] === 'function'),
      { message: 'expected { add, update, end, pending, history } (a DeliveryLedger)' },
    )
    .optional(),
};

/** A ledger of your own keeps its own history: `historyLimit` is the default ledger's. */
export function oneHistoryLimit<
  S extends z.ZodType<{ readonly ledger?: unknown; readonly historyLimit?: unknown }>,
>(schema: S): S {
  return schema.refine((o) => o.ledger === undefined || o.historyLimit === undefined, {
    message:
      'historyLimit is for the default ledger: give it to your ledger (new MemoryLedger({ historyLimit }))',
    path: ['historyLimit'],
  });
}

export const deliveryOptionsSchema = oneHistoryLimit(z.object(deliveryOptionFields).strict());
