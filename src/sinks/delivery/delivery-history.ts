import { type DeliveryEntry, recordOf } from './delivery-entry.js';
import type { DeliveryRecord, DeliveryStatus } from './delivery-record.js';

/** Which records `history()` returns: by automation, by status, at most `limit`. */
export type HistoryQuery = {
  readonly automationId?: string;
  readonly status?: DeliveryStatus;
  readonly limit?: number;
};

/**
 * The outbox's records, kept apart by state: every pending entry, always; ended ones (finished, failed,
 * skipped) up to `limit`, the first to end leaving first. Entries are held by identity, never by firing id, so
 * trimming the ended ones can never touch a pending delivery of the same firing enqueued again.
 */
export class DeliveryHistory {
  readonly #limit: number;
  /** In arrival order (sets keep insertion order, and entries arrive in `seq` order). */
  readonly #pending = new Set<DeliveryEntry>();
  /** Ended entries in the order they ended, from `#head` on: a queue that compacts as it goes. */
  #ended: (DeliveryEntry | undefined)[] = [];
  #head = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  add(entry: DeliveryEntry): void {
    this.#pending.add(entry);
  }

  /** Move an entry that has ended out of the pending ones, dropping the oldest ended entries past the limit. */
  end(entry: DeliveryEntry): void {
    this.#pending.delete(entry);
    if (this.#limit === 0) return;
    this.#ended.push(entry);
    while (this.#ended.length - this.#head > this.#limit) this.#ended[this.#head++] = undefined;
    if (this.#head > 1024 && this.#head * 2 > this.#ended.length) {
      this.#ended = this.#ended.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Pending entries in arrival order: what a snapshot keeps. */
  pending(): DeliveryEntry[] {
    return [...this.#pending];
  }

  /** Every entry held, newest arrival first. */
  newestFirst(): DeliveryEntry[] {
    const all: DeliveryEntry[] = [...this.#pending];
    for (let i = this.#head; i < this.#ended.length; i++) all.push(this.#ended[i] as DeliveryEntry);
    return all.sort((a, b) => b.seq - a.seq);
  }

  /** The records a query asks for, newest first. */
  records(query: HistoryQuery): DeliveryRecord[] {
    const out: DeliveryRecord[] = [];
    for (const e of this.newestFirst()) {
      if (query.automationId !== undefined && e.firing.automationId !== query.automationId) continue;
      if (query.status !== undefined && e.status !== query.status) continue;
      out.push(recordOf(e));
      if (query.limit !== undefined && out.length >= query.limit) break;
    }
    return out;
  }
}
