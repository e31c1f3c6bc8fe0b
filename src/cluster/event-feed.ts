import { type ConsumerMessages, DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import type { Clock } from '../clock/clock.js';
import type { Connection } from './connection.js';
import { EVENTS, eventSubject } from './layout.js';

/** How long one JetStream call may take before it counts as failed (the client's own timeout is 10 s). */
export const CALL_TIMEOUT_MS = 12_000;
/**
 * Creating a consumer is retried sooner: while a killed server is not yet known to be offline (about 30 s), the
 * server may place the new single-replica consumer on it, and that attempt never answers; the next may not.
 */
const OPEN_TIMEOUT_MS = 5000;

/** Reject with `what` timed out when `promise` has not settled within `ms`: no JetStream call may hang a runner. */
export async function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The sequence of the last message on a partition's event subject (0: none), read from the stream leader. */
export async function lastEventSeq(c: Connection, partition: number): Promise<number> {
  const last = await bounded(
    c.jsm.streams.getMessage(EVENTS, { last_by_subj: eventSubject(partition) }),
    CALL_TIMEOUT_MS,
    `reading the last event of partition ${partition}`,
  );
  return last?.seq ?? 0;
}

/**
 * An ordered consumer of one partition's event subject from `after + 1`. Its server-side consumer is a
 * single-replica one: when the server holding it dies, the client may wait on it forever, so the runner
 * watches for a stall and opens a new one from where it got to.
 */
export async function openEventFeed(
  c: Connection,
  partition: number,
  after: number,
): Promise<ConsumerMessages> {
  const consumer = await bounded(
    c.js.consumers.get(EVENTS, {
      filter_subjects: eventSubject(partition),
      ...(after > 0
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: after + 1 }
        : { deliver_policy: DeliverPolicy.All }),
    }),
    OPEN_TIMEOUT_MS,
    `creating the event consumer of partition ${partition}`,
  );
  // Short pulls and heartbeats: a pull lost with its server is noticed in seconds, not after the 30 s default.
  return consumer.consume({ max_messages: 256, expires: 5000, idle_heartbeat: 1000 });
}

/** A consumer that has delivered nothing for this long while its subject is ahead is stalled. */
const STALL_MS = 4000;

/** Where a consumer got to: when it last made progress (clock ms), and whether a message is being handled. */
export type Progress = { at: number; busy: boolean };

/**
 * Check every second: when nothing was delivered for STALL_MS, no message is being handled, and the subject's
 * last message is past `applied()`, call `onStall` (the caller stops the consumer and opens a new one). Returns
 * the function that ends the watch.
 */
export function watchStall(
  ctx: { readonly c: Connection; readonly clock: Clock },
  partition: number,
  progress: Progress,
  applied: () => number,
  onStall: (at: number, last: number) => void,
): () => void {
  let checking = false;
  const timer = setInterval(() => {
    if (checking || progress.busy || ctx.clock.now() - progress.at < STALL_MS) return;
    checking = true;
    const at = applied();
    lastEventSeq(ctx.c, partition)
      .then((last) => {
        if (last > at && applied() === at && !progress.busy) onStall(at, last);
      })
      .catch(() => undefined)
      .finally(() => {
        checking = false;
      });
  }, 1000);
  return () => clearInterval(timer);
}

/** A delay that `wake` cuts short (a runner told to stop while it waits to retry). */
export function wakeableDelay(ms: number): { readonly done: Promise<void>; readonly wake: () => void } {
  let wake: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { done, wake };
}

export type { ConsumerMessages, JsMsg };
