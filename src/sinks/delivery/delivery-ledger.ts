import type { Firing } from '../../streams/firing.js';
import type { DeadLetterReason, DeliveryAttempt, DeliveryStatus } from './delivery-record.js';

/** Which records `history()` returns: by automation, by status, at most `limit`, newest first. */
export type HistoryQuery = {
  readonly automationId?: string;
  readonly status?: DeliveryStatus;
  /** At most this many. */
  readonly limit?: number;
};

/**
 * One delivery as a ledger sees it: the same object from `add` to `end` while the deliverer runs, changed only by
 * the deliverer (a ledger reads it, never writes it). `seq` is its arrival order, unique per deliverer.
 */
export interface LedgerDelivery {
  readonly seq: number;
  /** Replaced while a digest window collects firings. */
  readonly firing: Firing;
  /** The integration its action names; undefined for DoNothing. */
  readonly integration: string | undefined;
  readonly status: DeliveryStatus;
  /** When it was handed to the deliverer (deliverer clock). */
  readonly publishTime: number;
  /** While pending: when the next attempt is due. */
  readonly due: number;
  readonly attempts: readonly DeliveryAttempt[];
  readonly reason?: DeadLetterReason;
}

/**
 * Where a deliverer keeps its deliveries: every pending one (what a snapshot holds and `pending()` returns), and
 * as many ended ones as it likes (what `history()` shows). The deliverer calls it as deliveries change; the
 * default, `MemoryLedger`, keeps them in memory. A durable one writes each change, and is given back what it
 * saved through the deliverer's `restore()` (which `add`s each again) when a process starts.
 */
export interface DeliveryLedger {
  /** A delivery was enqueued or restored: pending from now on. */
  add(delivery: LedgerDelivery): void;
  /** A pending delivery changed: an attempt was made, its due time moved, or a firing joined its digest. */
  update(delivery: LedgerDelivery): void;
  /** A delivery ended (`finished`, `failed` or `skipped`): it is no longer pending; the ledger may keep it as history. */
  end(delivery: LedgerDelivery): void;
  /** Every pending delivery, in arrival order (`seq`). */
  pending(): Iterable<LedgerDelivery>;
  /** The deliveries (pending and ended) `query` asks for, newest arrival first, at most `query.limit`. */
  history(query: HistoryQuery): Iterable<LedgerDelivery>;
}
