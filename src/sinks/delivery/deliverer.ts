import type { Firing } from '../../core/firing.js';
import type { HistoryQuery } from './delivery-ledger.js';
import type { DeliveryRecord } from './delivery-record.js';

/**
 * Delivery on its own, fed with firings: what `createDeliverer` returns and what an engine delivers through.
 * Every firing is delivered at least once, or dead-lettered, or (by its automation's choice) skipped at a rate
 * limit — never lost. All timing is on the deliverer's clock.
 */
export interface Deliverer {
  /**
   * Take a firing: a DoNothing one is recorded as finished at once; one whose action asks for a digest joins
   * its automation's open window, or opens one; the rest wait for their first attempt. Throws DefinitionError
   * for a value that is not a firing, EngineClosedError after `close()`.
   */
  deliver(firing: Firing): void;
  /** Delivery records (pending and ended, as the ledger keeps them), newest first. */
  history(query?: HistoryQuery): DeliveryRecord[];
  /** Deliveries not yet finished, failed or skipped, in arrival order: what a snapshot must keep. */
  pending(): DeliveryRecord[];
  /** Take back pending deliveries (from `pending()` of an earlier deliverer), with their attempts and due times. */
  restore(pending: readonly DeliveryRecord[]): void;
  /** Resolves when no attempt is in flight: for tests on virtual time, after advancing the clock. */
  idle(): Promise<void>;
  /**
   * Start no more attempts and wait for those in flight (with `abort`, signal them to stop first: one cut short
   * spends no attempt). Pending deliveries stay pending, in `pending()`, for the next deliverer.
   */
  close(options?: { readonly abort?: boolean }): Promise<void>;
  /** Attempts in flight now. */
  readonly inFlight: number;
  readonly closed: boolean;
}
