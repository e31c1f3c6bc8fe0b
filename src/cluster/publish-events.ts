import { hash } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/system-clock.js';
import { EventIntake } from '../core/event-intake.js';
import { fnv1a, keyOf } from '../core/partition-key.js';
import { parseInput } from '../definitions/parse.js';
import type { Issue } from '../errors/issue.js';
import { type ClusterConnectionOptions, natsSchema } from './cluster-options.js';
import { readConfig, withConnection } from './connection.js';
import { encodeJson } from './json-codec.js';
import { eventSubject } from './layout.js';

export interface PublishEventsOptions extends ClusterConnectionOptions {
  /** CloudEvents, as `engine.ingest` takes them: an array, any iterable, or an async iterable. */
  readonly events: Iterable<unknown> | AsyncIterable<unknown>;
  /** Gives events without `time` theirs, once, and refuses events from the future. @default the system clock */
  readonly clock?: Clock;
  /** At most this many events of one partition in one message: the broker's cost is per message. @default 64 */
  readonly batch?: number;
}

/** How many events were published, and the issues of those refused (each skipped, as the engine skips them). */
export type PublishResult = {
  readonly published: number;
  readonly rejected: number;
  readonly issues: readonly Issue[];
  /** Messages the server had already stored (the same events published again within its duplicate window). */
  readonly duplicateMessages: number;
};

const schema = z
  .object({
    nats: natsSchema,
    events: z.custom<Iterable<unknown> | AsyncIterable<unknown>>(
      (v) => typeof v === 'object' && v !== null && (Symbol.iterator in v || Symbol.asyncIterator in v),
      { message: 'expected an array, an iterable or an async iterable of events' },
    ),
    clock: z.custom<Clock>((c) => typeof (c as Clock | undefined)?.now === 'function').optional(),
    batch: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

/** Publishes awaiting their acknowledgement at once: enough to keep the connection busy. */
const WINDOW = 256;

/**
 * Validate each event (a bad one is reported in the result and skipped), give it its `time` once, and publish
 * it to its partition's subject (`partitionOf(partitionKey(event), P)`), packed with the partition's next
 * events into one message with a `Nats-Msg-Id` made of their source and id, so publishing again is harmless.
 * Resolves when the server has stored every message.
 */
export async function publishEvents(options: PublishEventsOptions): Promise<PublishResult> {
  const o = parseInput(schema, options, 'publishEvents options');
  const intake = new EventIntake(o.clock ?? systemClock);
  const max = o.batch ?? 64;
  return withConnection(o.nats, async (c) => {
    const { partitions } = await readConfig(c);
    const buffers = Array.from({ length: partitions }, (): { text: string[]; ids: string[] } => ({
      text: [],
      ids: [],
    }));
    const issues: Issue[] = [];
    let published = 0;
    let duplicateMessages = 0;
    let rejected = 0;
    let failure: { error: unknown } | undefined;
    const inFlight = new Set<Promise<void>>();
    const flush = async (p: number): Promise<void> => {
      const b = buffers[p] as { text: string[]; ids: string[] };
      if (b.text.length === 0) return;
      const body = `[${b.text.join(',')}]`;
      const msgID = `ev_${hash('sha256', b.ids.join('\u0001'), 'hex').slice(0, 40)}`;
      b.text = [];
      b.ids = [];
      const sent = c.js.publish(eventSubject(p), body, { msgID }).then(
        (ack) => {
          if (ack.duplicate) duplicateMessages += 1;
          inFlight.delete(sent);
        },
        (error: unknown) => {
          failure ??= { error };
          inFlight.delete(sent);
        },
      );
      inFlight.add(sent);
      if (inFlight.size >= WINDOW) await Promise.race(inFlight);
    };
    for await (const event of o.events) {
      const parsed = intake.parse(event);
      if (failure !== undefined) throw failure.error;
      if (!parsed.ok) {
        rejected += 1;
        issues.push(...parsed.issues);
        continue;
      }
      const accepted = parsed.value;
      const p = fnv1a(keyOf(accepted)) % partitions;
      const given = event as { readonly time?: unknown };
      const b = buffers[p] as { text: string[]; ids: string[] };
      b.text.push(encodeJson(given.time === undefined ? { ...given, time: accepted.time } : event));
      b.ids.push(`${accepted.source}\u0000${accepted.id}`);
      published += 1;
      if (b.text.length >= max) await flush(p);
    }
    for (let p = 0; p < partitions; p++) await flush(p);
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure.error;
    return { published, rejected, issues, duplicateMessages };
  });
}
