import { hash } from 'node:crypto';
import type { Connection } from '../cluster/connection.js';
import { encodeJson } from '../cluster/json-codec.js';
import { eventSubject } from '../cluster/layout.js';
import { EventIntake } from '../core/event-intake.js';
import { fnv1a, keyOf } from '../core/partition-key.js';
import type { Clock, IngestResult } from '../index.js';
import { NotSaved } from './durability.js';
import type { IntakeBackend } from './intake-backend.js';
import { problem } from './problem.js';

const NOT_PUBLISHED = problem(
  503,
  'not-published',
  "The cluster's log did not store every event; send them again",
);

/** Events answered by this process since it started, by outcome: what /metrics counts in cluster mode. */
export type IntakeCounts = { accepted: number; rejected: number; duplicates: number };

/**
 * `Nats-Msg-Id` of a message holding one event: the one `publishEvents` gives a message of that event alone
 * (`ev_` + SHA-256 of source NUL id), so the server sees the same event from either producer as a duplicate.
 */
export function eventMessageId(source: string, id: string): string {
  return `ev_${hash('sha256', `${source}\u0000${id}`, 'hex').slice(0, 40)}`;
}

/**
 * Cluster mode's intake: each event validated as the engine validates it (`EventIntake`, on the service's clock),
 * a rejected one never published, each accepted one published alone to its partition's subject, and the answer
 * given only once JetStream has stored every message (a `duplicate` when the server already held its id).
 */
export function clusterIntake(
  c: Connection,
  partitions: number,
  clock: Clock,
  counts: IntakeCounts,
): IntakeBackend {
  const intake = new EventIntake(clock);
  const nothing = { issues: [], firings: [], suppressed: [] } as const;
  return {
    async submit(events) {
      const sent = events.map(async (event): Promise<IngestResult> => {
        const parsed = intake.parse(event);
        if (!parsed.ok) return { status: 'rejected', issues: parsed.issues, firings: [], suppressed: [] };
        const accepted = parsed.value;
        const given = event as { readonly time?: unknown };
        // The event's time is given once, here: a worker replaying the log reads the same time every time.
        const body = `[${encodeJson(given.time === undefined ? { ...given, time: accepted.time } : event)}]`;
        const subject = eventSubject(fnv1a(keyOf(accepted)) % partitions);
        const ack = await c.js.publish(subject, body, {
          msgID: eventMessageId(accepted.source, accepted.id),
        });
        return { status: ack.duplicate ? 'duplicate' : 'accepted', ...nothing };
      });
      // Every publish is awaited, so a failure answers only once none is still in flight.
      const settled = await Promise.allSettled(sent);
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed !== undefined) throw new NotSaved(failed.reason, NOT_PUBLISHED);
      const results = settled.map((s) => (s as PromiseFulfilledResult<IngestResult>).value);
      for (const r of results)
        if (r.status === 'accepted') counts.accepted += 1;
        else if (r.status === 'duplicate') counts.duplicates += 1;
        else counts.rejected += 1;
      return results;
    },
  };
}
