import type { Observable, Subscribable, Subscription } from 'rxjs';
import type { Firing } from '../core/firing.js';
import type { IngestResult } from '../core/ingest-result.js';
import type { Partitions } from '../core/partitions.js';
import { parseInput } from '../definitions/parse.js';
import { EngineClosedError } from '../errors/engine-closed-error.js';
import type { Issue } from '../errors/issue.js';
import type { Authorize } from '../management/authorize.js';
import { AuthorizedAutomations } from '../management/authorized-automations.js';
import type { AutomationExport } from '../management/export-automations.js';
import { type HistoryFilter, historyFilterSchema } from '../management/history-filter.js';
import type { ImportResult } from '../management/import-automations.js';
import type { ImportOptions } from '../management/import-options.js';
import type { AutomationFilter } from '../management/list-filter.js';
import type { Management } from '../management/management.js';
import type { Automation, AutomationUpdate, NewAutomation, SaveOptions } from '../schema/automation.js';
import type { Deliverer } from '../sinks/delivery/deliverer.js';
import type { DeliveryRecord } from '../sinks/delivery/delivery-record.js';
import { composeEngine } from './compose-engine.js';
import { connectSource } from './connect-source.js';
import { idArgument, listFilter } from './engine-args.js';
import { type EngineOptions, engineOptionsSchema } from './engine-options.js';
import { type EngineState, sealState } from './engine-state.js';
import { type EngineStats, engineStats } from './engine-stats.js';
import type { EngineEvents, EngineStreams } from './engine-streams.js';
import { EventFeed } from './event-feed.js';
import { Lifecycle } from './lifecycle.js';
import { restoreHandoff } from './restore-handoff.js';

export type { EngineEvents, EngineStats };

/**
 * The composition root: definitions (management), the runtime core (partitions), streams, listeners and delivery.
 * Create it with `createEngine(options)`.
 */
export class Engine {
  /** Every firing, in order. */
  readonly firings$: Observable<Firing>;
  /** Rejected events, out-of-order values, sink and listener failures, dead letters. */
  readonly errors$: Observable<Issue>;
  /** Every change of every firing's delivery record: pending (and each retry), finished, failed, skipped. */
  readonly deliveries$: Observable<DeliveryRecord>;

  readonly #streams: EngineStreams;
  readonly #feed: EventFeed;
  readonly #core: Partitions;
  readonly #management: Management;
  readonly #outbox: Deliverer;
  readonly #authorize: Authorize;
  readonly #lifecycle: Lifecycle;

  constructor(options: EngineOptions = {}) {
    // Not frozen: the options hold the user's clock and sinks, which must stay theirs to change.
    const opts = parseInput(engineOptionsSchema, options, 'engine options') as EngineOptions;
    const parts = composeEngine(opts, restoreHandoff.get(options), () => this.snapshot());
    this.#streams = parts.streams;
    this.#feed = new EventFeed(parts);
    this.#core = parts.core;
    this.#management = parts.management;
    this.#outbox = parts.outbox;
    this.#authorize = parts.authorize;
    this.#lifecycle = new Lifecycle(parts);
    this.firings$ = parts.streams.firings$;
    this.errors$ = parts.streams.errors$;
    this.deliveries$ = parts.streams.deliveries$;
  }

  /** Release idle and ended runs now (sweeps also run by themselves as events arrive); returns how many. */
  sweep(): number {
    return this.#core.sweep();
  }

  /**
   * Save a snapshot to the store (no-op without one). Checkpoints never queue: while one is saved, any number
   * of calls share the next one, which takes its snapshot when it starts, so it holds the newest state.
   */
  checkpoint(): Promise<void> {
    return this.#lifecycle.checkpoint();
  }

  // Management: each takes effect for the next event.

  /** Validate and save. The name is required (here or in the draft) and unique. */
  save(automation: NewAutomation, options: SaveOptions = {}): Automation {
    this.#open('save');
    return this.#management.save(automation, options);
  }

  /**
   * Change fields of a saved automation; `null` takes `description`, `retryPolicy` or `rateLimit` away. Changing
   * `event` starts its windows afresh; other fields keep them.
   */
  update(id: string, patch: AutomationUpdate): Automation {
    this.#open('update');
    return this.#management.update(idArgument(id), patch);
  }

  enable(id: string): Automation {
    return this.update(id, { enabled: true });
  }

  /** A disabled automation stays saved, watches nothing and never fires. */
  disable(id: string): Automation {
    return this.update(id, { enabled: false });
  }

  /** True if it existed. */
  delete(id: string): boolean {
    this.#open('delete');
    return this.#management.delete(idArgument(id));
  }

  get(id: string): Automation | undefined {
    return this.#management.get(idArgument(id));
  }

  list(filter: AutomationFilter = {}): Automation[] {
    return this.#management.list(listFilter(filter));
  }

  /** Every saved automation as plain JSON, `{ format, version: 1, automations }`, for `importAutomations`. */
  exportAutomations(): AutomationExport {
    return this.#management.exportAutomations();
  }

  /**
   * Read an export (JSON text or parsed), all or nothing: `merge` creates and updates, keeping automations the
   * file does not name; `replace` also deletes those. Throws DefinitionError with paths into the file.
   */
  importAutomations(json: unknown, options: ImportOptions): ImportResult {
    this.#open('import');
    return this.#management.importAutomations(json, options);
  }

  /** The management methods and reads on behalf of `principal`, each asking the `authorize` option first. */
  as(principal: unknown): AuthorizedAutomations {
    return new AuthorizedAutomations(this, this.#authorize, principal);
  }

  // Events in.

  /**
   * Apply one event synchronously and return what it fired; a bad event is reported on `errors$` and skipped.
   * Never throws but EngineClosedError: whatever the input, the engine reports and goes on.
   */
  ingest(event: unknown): readonly Firing[] {
    this.#open('ingest');
    return this.#feed.ingest(event);
  }

  /**
   * Apply many events in order; returns everything they fired. An array is read by index through descriptors
   * (an accessor element is refused unread); another iterable is iterated, and if it throws, what came before
   * stays applied and the failure is reported (`source_error`).
   */
  ingestBatch(events: Iterable<unknown>): readonly Firing[] {
    this.#open('ingestBatch');
    return this.#feed.ingestBatch(events);
  }

  /** As `ingest`, saying what became of the event: its status, its own issues, its firings and suppressed matches. */
  apply(event: unknown): IngestResult {
    this.#open('apply');
    return this.#feed.apply(event);
  }

  /** As `ingestBatch`, with one result per event, in order; an accessor element of an array is `rejected`. */
  applyBatch(events: Iterable<unknown>): readonly IngestResult[] {
    this.#open('applyBatch');
    return this.#feed.applyBatch(events);
  }

  /**
   * Ingest every event of an observable. Its errors are reported and end only that connection; a `subscribe`
   * that throws is reported the same way, and the subscription returned is then closed.
   */
  connect(events: Subscribable<unknown>): Subscription {
    this.#open('connect');
    const report = (i: Issue): void => this.#streams.report(i);
    const open = (): boolean => !this.#lifecycle.closed;
    return connectSource(events, (event) => this.ingest(event), open, report, this.#lifecycle.connections);
  }

  // Listeners: each is isolated, so a throwing listener is reported and the others still run.

  on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    this.#streams.on(event, listener);
    return this;
  }

  once<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    this.#streams.once(event, listener);
    return this;
  }

  off<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    this.#streams.off(event, listener);
    return this;
  }

  // State.

  stats(): EngineStats {
    return engineStats(this.#core, this.#management.list(), this.#outbox.inFlight);
  }

  /** Versioned, checksummed JSON of the engine's state; `createEngine({ state })` continues from it. */
  snapshot(): EngineState {
    const definitions = this.#management.definitions.save();
    return sealState({
      definitions: { ...definitions, automations: [...definitions.automations] },
      partitions: this.#core.save(),
      deliveries: this.#outbox.pending(),
    });
  }

  /** Delivery records, newest first: each firing's `pending → finished | failed | skipped`, with its attempts. */
  history(filter: HistoryFilter = {}): DeliveryRecord[] {
    return this.#outbox.history(parseInput(historyFilterSchema, filter, 'history filter') as HistoryFilter);
  }

  /** Resolves when no delivery attempt is in flight: for tests on virtual time, after advancing the clock. */
  idle(): Promise<void> {
    return this.#outbox.idle();
  }

  get closed(): boolean {
    return this.#lifecycle.closed;
  }

  /**
   * Stop intake (later calls throw EngineClosedError), disconnect sources, wait for delivery attempts in
   * flight (with `abort`, signal them to stop first), write a last checkpoint to the store, then complete the
   * streams. Deliveries still pending stay in `snapshot()`, to go on in the next engine. If that checkpoint
   * fails, the streams complete all the same and this rejects with StateNotSavedError; calling `close()`
   * again tries the checkpoint again.
   */
  close(given: { readonly abort?: boolean } = {}): Promise<void> {
    return this.#lifecycle.close(given);
  }

  #open(operation: string): void {
    if (this.#lifecycle.closed) throw new EngineClosedError(operation);
  }
}
