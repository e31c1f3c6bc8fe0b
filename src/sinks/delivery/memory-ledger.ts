import { z } from 'zod';
import { parseInput } from '../../definitions/parse.js';
import type { DeliveryLedger, HistoryQuery, LedgerDelivery } from './delivery-ledger.js';
import type { DeliveryRecord } from './delivery-record.js';

/** How many ended deliveries the default ledger keeps. */
export const DEFAULT_HISTORY_LIMIT = 10_000;

export const historyLimitSchema = z.number().int().min(0).max(10_000_000);
const optionsSchema = z.object({ historyLimit: historyLimitSchema.optional() }).strict();

export interface MemoryLedgerOptions {
  /** Finished, failed and skipped deliveries kept for `history()`; 0 keeps none. @default 10_000 */
  readonly historyLimit?: number;
}

/**
 * The default ledger, in memory: every pending delivery, always; ended ones (finished, failed, skipped) up to
 * `historyLimit`, the first to end leaving first. Deliveries are held by identity, never by firing id, so
 * trimming the ended ones can never touch a pending delivery of the same firing enqueued again.
 */
export class MemoryLedger implements DeliveryLedger {
  readonly #limit: number;
  /** In arrival order (sets keep insertion order, and deliveries arrive in `seq` order). */
  readonly #pending = new Set<LedgerDelivery>();
  /** Ended deliveries in the order they ended, from `#head` on: a queue that compacts as it goes. */
  #ended: (LedgerDelivery | undefined)[] = [];
  #head = 0;

  constructor(options: MemoryLedgerOptions = {}) {
    const { historyLimit } = parseInput(optionsSchema, options, 'MemoryLedger options');
    this.#limit = historyLimit ?? DEFAULT_HISTORY_LIMIT;
  }

  add(delivery: LedgerDelivery): void {
    this.#pending.add(delivery);
  }

  /** Held by identity: the change is already in the object. */
  update(_delivery: LedgerDelivery): void {}

  /** Move a delivery that has ended out of the pending ones, dropping the oldest ended ones past the limit. */
  end(delivery: LedgerDelivery): void {
    this.#pending.delete(delivery);
    if (this.#limit === 0) return;
    this.#ended.push(delivery);
    while (this.#ended.length - this.#head > this.#limit) this.#ended[this.#head++] = undefined;
    if (this.#head > 1024 && this.#head * 2 > this.#ended.length) {
      this.#ended = this.#ended.slice(this.#head);
      this.#head = 0;
    }
  }

  pending(): DeliveryRecord[] {
    return Array.from(this.#pending, (d) => d.record());
  }

  history(query: HistoryQuery): DeliveryRecord[] {
    const all: LedgerDelivery[] = [...this.#pending];
    for (let i = this.#head; i < this.#ended.length; i++) all.push(this.#ended[i] as LedgerDelivery);
    all.sort((a, b) => b.seq - a.seq);
    const out: DeliveryRecord[] = [];
    for (const d of all) {
      if (query.automationId !== undefined && d.firing.automationId !== query.automationId) continue;
      if (query.status !== undefined && d.status !== query.status) continue;
      out.push(d.record());
      if (query.limit !== undefined && out.length >= query.limit) break;
    }
    return out;
  }
}
