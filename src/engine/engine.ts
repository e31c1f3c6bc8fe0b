import type { Observable, Subscribable, Subscription } from 'rxjs';
import { systemClock } from '../clock/system-clock.js';
import type { Firing } from '../core/firing.js';
import type { IngestResult } from '../core/ingest-result.js';
import { type Outcome, Partitions } from '../core/partitions.js';
import { parseInput } from '../definitions/parse.js';
import { EngineClosedError } from '../errors/engine-closed-error.js';
import { messageOf } from '../errors/error-message.js';
import { type Issue, issue } from '../errors/issue.js';
import { StateNotSavedError } from '../errors/state-not-saved-error.js';
import type { Authorize } from '../management/authorize.js';
import { AuthorizedAutomations } from '../management/authorized-automations.js';
import type { AutomationExport } from '../management/export-automations.js';
import { type HistoryFilter, historyFilterSchema } from '../management/history-filter.js';
import type { ImportResult } from '../management/import-automations.js';
import type { ImportOptions } from '../management/import-options.js';
import { integrationCatalog } from '../management/integration-catalog.js';
import type { AutomationFilter } from '../management/list-filter.js';
import { Management } from '../management/management.js';
import { guardedPatternEngine } from '../match/guarded-pattern-engine.js';
import { PatternCache } from '../match/pattern-cache.js';
import { re2jsEngine } from '../match/re2js-engine.js';
import type { Automation, AutomationUpdate, NewAutomation, SaveOptions } from '../schema/automation.js';
import type { Deliverer } from '../sinks/delivery/deliverer.js';
import type { DeliveryRecord } from '../sinks/delivery/delivery-record.js';
import { Checkpointer } from './checkpointer.js';
import { connectSource } from './connect-source.js';
import { createOutbox } from './create-outbox.js';
import { closeOptions, idArgument, listFilter } from './engine-args.js';
import { type EngineOptions, engineOptionsSchema } from './engine-options.js';
import { type EngineState, sealState } from './engine-state.js';
import { type EngineStats, engineStats } from './engine-stats.js';
import { type EngineEvents, EngineStreams } from './engine-streams.js';
import { forEachEvent } from './intake.js';
import { loadState } from './load-state.js';
import { Outcomes } from './outcomes.js';
import { Ticker } from './ticker.js';

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

  readonly #streams = new EngineStreams();
  readonly #outcomes = new Outcomes();
  readonly #core: Partitions;
  readonly #management: Management;
  readonly #outbox: Deliverer;
  readonly #ticker: Ticker;
  readonly #connections = new Set<Subscription>();
  // Fail closed: with no authorize option, everything asked through as() is refused.
  readonly #authorize: Authorize;
  #closed = false;
  readonly #checkpoints: Checkpointer | undefined;
  /** Set by the first close(): intake stopped and deliveries settled. */
  #stopping: Promise<void> | undefined;
  /** close()'s last checkpoint: kept once it succeeded, forgotten when it failed so the next close() retries. */
  #finalSave: Promise<void> | undefined;

  constructor(options: EngineOptions = {}) {
    // Not frozen: the options hold the user's clock and sinks, which must stay theirs to change.
    const opts = parseInput(engineOptionsSchema, options, 'engine options') as EngineOptions;
    const clock = opts.clock ?? systemClock;
    this.#authorize = opts.authorize ?? (() => false);
    const integrations = Object.entries(opts.integrations ?? {});
    const streams = this.#streams;
    const report = (i: Issue): void => streams.report(i);
    // What the core reports belongs to the event being applied: `apply` gathers it.
    const outcomes = this.#outcomes;
    const coreReport = (i: Issue): void => {
      outcomes.issue(i);
      streams.report(i);
    };
    const patterns = new PatternCache(
      opts.patternEngine === undefined ? re2jsEngine : guardedPatternEngine(opts.patternEngine, coreReport),
    );
    this.#core = new Partitions({
      clock,
      patterns,
      report: coreReport,
      onSuppressed: (suppressed) => {
        outcomes.suppressed(suppressed);
        streams.suppressed(suppressed);
      },
      ...(opts.limits !== undefined && { limits: opts.limits }),
      ...(opts.retention !== undefined && { retention: opts.retention }),
      ...(opts.partitions !== undefined && { count: opts.partitions }),
    });
    this.#ticker = new Ticker(clock, this.#core, (firings) => this.#emitAll(firings, undefined));
    // The engine owns the definitions and forwards each change, in order, to the core.
    this.#management = new Management({
      clock,
      patterns,
      integrations: integrationCatalog(opts.integrations ?? {}),
      onChange: (change) => {
        this.#core.applyDefinition(change);
        this.#ticker.rearm();
      },
    });
    this.#outbox = createOutbox(clock, integrations, opts.delivery ?? {}, (id) => this.#management.get(id), {
      report,
      onRecord: (record) => streams.record(record),
      onDelivered: (record) => streams.delivered(record),
      onDeadLetter: (letter) => streams.deadLettered(letter),
      wantsRecords: () => streams.wantsRecords(),
    });
    this.firings$ = streams.firings$;
    this.errors$ = streams.errors$;
    this.deliveries$ = streams.deliveries$;
    // An explicit state wins; otherwise the store's last checkpoint, validated whole before anything is built.
    const state = opts.state ?? (opts.store === undefined ? undefined : loadState(opts.store));
    if (state !== undefined) {
      // Definitions first: a partition's series bind to the watchers its definitions installed.
      this.#management.definitions.load(state.definitions);
      this.#core.load(state.partitions);
      this.#ticker.rearm();
    }
    this.#outbox.restore(state?.deliveries ?? []);
    this.#checkpoints =
      opts.store === undefined ? undefined : new Checkpointer(opts.store, () => this.snapshot());
    if (opts.checkpointEveryMs !== undefined)
      this.#checkpoints?.every(clock, opts.checkpointEveryMs, (error) =>
        report(
          issue(
            'sink_failed',
            ['store'],
            `checkpoint failed: ${error instanceof Error ? error.message : String(error)}`,
            error,
          ),
        ),
      );
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
    return this.#checkpoints?.request() ?? Promise.resolve();
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
    const firings = this.#core.process(event);
    this.#emitAll(firings, undefined);
    return firings;
  }

  /**
   * Apply many events in order; returns everything they fired. An array is read by index through descriptors
   * (an accessor element is refused unread); another iterable is iterated, and if it throws, what came before
   * stays applied and the failure is reported (`source_error`).
   */
  ingestBatch(events: Iterable<unknown>): readonly Firing[] {
    this.#open('ingestBatch');
    const all: Firing[] = [];
    const core = this.#core;
    forEachEvent(
      events,
      (event) => this.#emitAll(core.process(event), all),
      (refused) => core.refuse(refused),
      (error) => this.#failedBatch(error),
    );
    return all;
  }

  /** As `ingest`, saying what became of the event: its status, its own issues, its firings and suppressed matches. */
  apply(event: unknown): IngestResult {
    this.#open('apply');
    return this.#applyOne(() => this.#core.offer(event));
  }

  /** As `ingestBatch`, with one result per event, in order; an accessor element of an array is `rejected`. */
  applyBatch(events: Iterable<unknown>): readonly IngestResult[] {
    this.#open('applyBatch');
    const results: IngestResult[] = [];
    const core = this.#core;
    forEachEvent(
      events,
      (event) => results.push(this.#applyOne(() => core.offer(event))),
      (refused) => results.push(this.#applyOne(() => core.refuse(refused))),
      (error) => this.#failedBatch(error),
    );
    return results;
  }

  /**
   * Ingest every event of an observable. Its errors are reported and end only that connection; a `subscribe`
   * that throws is reported the same way, and the subscription returned is then closed.
   */
  connect(events: Subscribable<unknown>): Subscription {
    this.#open('connect');
    const report = (i: Issue): void => this.#streams.report(i);
    const open = (): boolean => !this.#closed;
    return connectSource(events, (event) => this.ingest(event), open, report, this.#connections);
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
    return this.#closed;
  }

  /**
   * Stop intake (later calls throw EngineClosedError), disconnect sources, wait for delivery attempts in
   * flight (with `abort`, signal them to stop first), write a last checkpoint to the store, then complete the
   * streams. Deliveries still pending stay in `snapshot()`, to go on in the next engine. If that checkpoint
   * fails, the streams complete all the same and this rejects with StateNotSavedError; calling `close()`
   * again tries the checkpoint again.
   */
  async close(given: { readonly abort?: boolean } = {}): Promise<void> {
    const options = closeOptions(given);
    if (this.#stopping === undefined) {
      this.#closed = true;
      this.#stopping = this.#stop(options.abort === true);
    }
    await this.#stopping;
    this.#finalSave ??= this.#saveFinal();
    await this.#finalSave;
  }

  /** The last checkpoint holds what is still pending, so the next engine delivers it. */
  #saveFinal(): Promise<void> {
    const complete = (): void => this.#streams.complete();
    return this.checkpoint().then(complete, (error: unknown) => {
      this.#finalSave = undefined;
      complete();
      throw new StateNotSavedError(error);
    });
  }

  async #stop(abort: boolean): Promise<void> {
    for (const subscription of this.#connections) subscription.unsubscribe();
    this.#connections.clear();
    this.#checkpoints?.stop();
    this.#ticker.stop();
    await this.#outbox.close({ abort });
  }

  #open(operation: string): void {
    if (this.#closed) throw new EngineClosedError(operation);
  }

  /** Emit each firing; `into` collects them for a batch. */
  #emitAll(firings: readonly Firing[], into: Firing[] | undefined): void {
    // Each event can bring a stall deadline forward; the check is a peek at each partition's heap.
    this.#ticker.rearm();
    for (let i = 0; i < firings.length; i++) {
      const firing = firings[i] as Firing;
      into?.push(firing);
      this.#streams.fired(firing);
      this.#outbox.deliver(firing);
    }
  }

  /** The outcome of one event, then its firings emitted: a listener's failure is not the event's issue. */
  #applyOne(apply: () => Outcome): IngestResult {
    const result = this.#outcomes.of(apply);
    this.#emitAll(result.firings, undefined);
    return result;
  }

  #failedBatch(error: unknown): void {
    this.#streams.report(
      issue('source_error', [], `the batch's iterator failed: ${messageOf(error)}`, error),
    );
  }
}
