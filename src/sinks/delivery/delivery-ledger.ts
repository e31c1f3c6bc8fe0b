import type { Firing } from '../../core/firing.js';
import type { DeliveryRecord, DeliveryStatus } from './delivery-record.js';

/** Which records `history()` returns: by automation, by status, at most `limit`, newest first. */
export type HistoryQuery = {
  readonly automationId?: string;
  readonly status?: DeliveryStatus;
  /** At most this many. */
  readonly limit?: number;
};

/**
 * One delivery as a ledger sees it: the same object from `add` to `end` while the deliverer runs, changed only by
 * the deliverer. `seq` is its arrival order, unique per deliverer; `record()` is what it is now.
 */
export interface LedgerDelivery {
  readonly seq: number;
  readonly status: DeliveryStatus;
  /** Replaced while a digest window collects firings. */
  readonly firing: Firing;
  /** This delivery as it is now: a new frozen record each call. */
  record(): DeliveryRecord;
}

/**
 * Where a deliverer keeps its deliveries: every pending one (what `pending()` returns, and so what an engine's
 * snapshot holds), and as many ended ones as it likes (what `history()` shows). The deliverer tells it of every
 * change; the default, `MemoryLedger`, keeps them in memory. A durable one writes each change (`record()`), and
 * when a process starts it hands the pending records it saved to the new deliverer's `restore()`, which adds
 * each again under a new `seq`.
 */
export interface DeliveryLedger {
  /** A delivery was enqueued or restored: pending from now on. */
  add(delivery: LedgerDelivery): void;
  /** A pending delivery changed: an attempt was made, its due time moved, or a firing joined its digest. */
  update(delivery: LedgerDelivery): void;
  /** A delivery ended (`finished`, `failed` or `skipped`): no longer pending; the ledger may keep it as history. */
  end(delivery: LedgerDelivery): void;
  /** The record of every pending delivery, in arrival order (`seq`). */
  pending(): Iterable<DeliveryRecord>;
  /** The records (pending and ended) `query` asks for, newest arrival first, at most `query.limit`. */
  history(query: HistoryQuery): Iterable<DeliveryRecord>;
}
