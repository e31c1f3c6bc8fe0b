import { EventEmitter } from 'eventemitter3';
import { type Observable, Subject, type Subscribable, type Subscription } from 'rxjs';
import { systemClock } from '../clock/system-clock.js';
import type { Firing } from '../core/firing.js';
import { Partitions } from '../core/partitions.js';
import type { Suppressed } from '../core/suppressed.js';
import { parseInput } from '../definitions/parse.js';
import { DefinitionError } from '../errors/definition-error.js';
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
import type { DeadLetter, DeliveryRecord } from '../sinks/delivery/delivery-record.js';
import type { Counters } from '../state/counters.js';
import { Checkpointer } from './checkpointer.js';
import { createOutbox } from './create-outbox.js';
import { closeOptions, eventName, idArgument, listFilter } from './engine-args.js';
import { type EngineOptions, engineOptionsSchema } from './engine-options.js';
import { type EngineState, sealState } from './engine-state.js';
import { forEachEvent, subscribeTo } from './intake.js';
import { loadState } from './load-state.js';

/** The engine's events on its EventEmitter side; the same as `firings$` and `errors$`. */
export type EngineEvents = {
  fired: (firing: Firing) => void;
  error: (issue: Issue) => void;
  /** A firing's delivery finished (200–204, or a custom sink returned). */
  delivered: (record: DeliveryRecord) => void;
  /** A firing's delivery gave up: non-retriable status, attempts or time to live exhausted. */
  'dead-lettered': (letter: DeadLetter) => void;
  /** A match the automation's cooldown held back for that run: counted, not fired. */
  suppressed: (suppressed: Suppressed) => void;
};

export type EngineStats = Counters & {
  readonly runs: number;
  readonly collections: number;
  readonly series: number;
  readonly automations: number;
  readonly enabled: number;
  readonly deliveriesInFlight: number;
  /** A rough count of the bytes the engine's state holds (windows exactly, objects by estimate). */
  readonly bytesEstimate: number;
  /** Firings and cooldown-suppressed matches per automation id. */
  readonly byAutomation: Readonly<Record<string, { readonly firings: number; readonly suppressed: number }>>;
};

type Listener = (payload: unknown) => void;

/** Every key of EngineEvents, checked both ways by the compiler. */
const EVENT_NAMES = {
  fired: true,
  error: true,
  delivered: true,
  'dead-lettered': true,
  suppressed: true,
} as const satisfies Record<keyof EngineEvents, true>;

/**
 * The composition root: the pure core (`Automator`) plus management, streams, listeners and sinks.
 * Create it with `createEngine(options)`.
 */
export class Engine {
  /** Every firing, in order. */
  readonly firings$: Observable<Firing>;
  /** Rejected events, out-of-order values, sink and listener failures, dead letters. */
  readonly errors$: Observable<Issue>;
  /** Every change of every firing's delivery record: pending (and each retry), finished, failed, skipped. */
  readonly deliveries$: Observable<DeliveryRecord>;

  readonly #firings = new Subject<Firing>();
  readonly #errors = new Subject<Issue>();
  readonly #deliveries = new Subject<DeliveryRecord>();
  // Untyped inside: the public methods carry the types, and every listener is wrapped.
  readonly #emitter = new EventEmitter<keyof EngineEvents>();
  readonly #wrapped = new Map<keyof EngineEvents, Map<Listener, Listener>>();
  readonly #core: Partitions;
  readonly #management: Management;
  readonly #outbox: Deliverer;
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
    const report = (i: Issue): void => this.#report(i);
    const patterns = new PatternCache(
      opts.patternEngine === undefined ? re2jsEngine : guardedPatternEngine(opts.patternEngine, report),
    );
    this.#core = new Partitions({
      clock,
      patterns,
      report,
      onSuppressed: (suppressed) => this.#emitter.emit('suppressed', suppressed),
      ...(opts.limits !== undefined && { limits: opts.limits }),
      ...(opts.retention !== undefined && { retention: opts.retention }),
    });
    // The engine owns the definitions and forwards each change, in order, to the core.
    this.#management = new Management({
      clock,
      patterns,
      integrations: integrationCatalog(opts.integrations ?? {}),
      onChange: (change) => this.#core.applyDefinition(change),
    });
    this.#outbox = createOutbox(clock, integrations, opts.delivery ?? {}, (id) => this.#management.get(id), {
      report,
      onRecord: (record) => this.#deliveries.next(record),
      onDelivered: (record) => this.#emitter.emit('delivered', record),
      onDeadLetter: (letter) => this.#emitter.emit('dead-lettered', letter),
      wantsRecords: () => this.#deliveries.observed || this.#emitter.listenerCount('delivered') > 0,
    });
    this.firings$ = this.#firings.asObservable();
    this.errors$ = this.#errors.asObservable();
    this.deliveries$ = this.#deliveries.asObservable();
    // An explicit state wins; otherwise the store's last checkpoint, validated whole before anything is built.
    const state = opts.state ?? (opts.store === undefined ? undefined : loadState(opts.store));
    if (state !== undefined) {
      const { nextId, revision = 0 } = state.core;
      this.#management.definitions.load({ revision, nextId, automations: state.automations });
      this.#core.load(state.core);
    }
    this.#outbox.restore(state?.deliveries ?? []);
    this.#checkpoints =
      opts.store === undefined ? undefined : new Checkpointer(opts.store, () => this.snapshot());
    if (opts.checkpointEveryMs !== undefined)
      this.#checkpoints?.every(clock, opts.checkpointEveryMs, (error) =>
        this.#report(
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
    forEachEvent(
      events,
      (event) => this.#emitAll(this.#core.process(event), all),
      (refused) => this.#core.refuse(refused),
      (error) =>
        this.#report(issue('source_error', [], `the batch's iterator failed: ${messageOf(error)}`, error)),
    );
    return all;
  }

  /**
   * Ingest every event of an observable. Its errors are reported and end only that connection; a `subscribe`
   * that throws is reported the same way, and the subscription returned is then closed.
   */
  connect(events: Subscribable<unknown>): Subscription {
    this.#open('connect');
    const failed = (error: unknown): void =>
      this.#report(issue('source_error', [], `the connected source failed: ${messageOf(error)}`, error));
    // A source may finish inside subscribe() (from(array) does), before `subscription` exists: track it by a flag.
    let finished = false;
    let subscription: Subscription | undefined;
    const done = (): void => {
      finished = true;
      if (subscription !== undefined) this.#connections.delete(subscription);
    };
    const observer = {
      next: (event: unknown) => {
        if (!this.#closed) this.ingest(event);
      },
      error: (error: unknown) => {
        failed(error);
        done();
      },
      complete: done,
    };
    subscription = subscribeTo(events, observer, (error) => {
      failed(error);
      finished = true;
    });
    if (finished) subscription.unsubscribe();
    else if (!subscription.closed) this.#connections.add(subscription);
    return subscription;
  }

  // Listeners: each is isolated, so a throwing listener is reported and the others still run.

  on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    this.#emitter.on(eventName(event, EVENT_NAMES), this.#wrap(event, listener));
    return this;
  }

  once<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    this.#emitter.once(eventName(event, EVENT_NAMES), this.#wrap(event, listener));
    return this;
  }

  off<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    const wrapped = this.#wrapped.get(eventName(event, EVENT_NAMES))?.get(listener as Listener);
    if (wrapped !== undefined) this.#emitter.off(event, wrapped);
    return this;
  }

  // State.

  stats(): EngineStats {
    const automations = this.#management.list();
    const core = this.#core;
    const counters = core.counters;
    return {
      ...counters,
      runs: core.total((p) => p.runCount),
      collections: core.total((p) => p.collectionCount),
      series: core.total((p) => p.seriesCount),
      automations: automations.length,
      enabled: automations.filter((a) => a.enabled).length,
      deliveriesInFlight: this.#outbox.inFlight,
      evictions: counters.evictions + core.total((p) => p.collectionEvictions),
      bytesEstimate: core.total((p) => p.bytesEstimate),
      byAutomation: Object.fromEntries([...core.perAutomation].map(([id, c]) => [id, { ...c }])),
    };
  }

  /** Versioned, checksummed JSON of the engine's state; `createEngine({ state })` continues from it. */
  snapshot(): EngineState {
    const { revision, nextId, automations } = this.#management.definitions.save();
    return sealState({
      automations,
      deliveries: this.#outbox.pending(),
      core: { nextId, revision, ...this.#core.save() },
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
    const complete = (): void => {
      this.#firings.complete();
      this.#errors.complete();
      this.#deliveries.complete();
    };
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
    await this.#outbox.close({ abort });
  }

  #open(operation: string): void {
    if (this.#closed) throw new EngineClosedError(operation);
  }

  /** Emit each firing; `into` collects them for a batch. */
  #emitAll(firings: readonly Firing[], into: Firing[] | undefined): void {
    for (let i = 0; i < firings.length; i++) {
      const firing = firings[i] as Firing;
      into?.push(firing);
      this.#emitFiring(firing);
    }
  }

  #emitFiring(firing: Firing): void {
    this.#firings.next(firing);
    this.#emitter.emit('fired', firing);
    this.#outbox.deliver(firing);
  }

  #report(i: Issue): void {
    this.#errors.next(i);
    this.#emitter.emit('error', i);
  }

  #wrap(event: keyof EngineEvents, listener: unknown): Listener {
    if (typeof listener !== 'function') {
      throw new DefinitionError(
        [issue('invalid_type', ['listener'], 'a listener is a function', listener)],
        'listener',
      );
    }
    let byListener = this.#wrapped.get(event);
    if (byListener === undefined) {
      byListener = new Map();
      this.#wrapped.set(event, byListener);
    }
    const existing = byListener.get(listener as Listener);
    if (existing !== undefined) return existing;
    const wrapped = (payload: unknown): void => {
      try {
        (listener as Listener)(payload);
      } catch (error) {
        // A failing error listener is not reported again: that would loop.
        if (event !== 'error') {
          const message = error instanceof Error ? error.message : String(error);
          this.#report(issue('listener_failed', [event], `a '${event}' listener threw: ${message}`, error));
        }
      }
    };
    byListener.set(listener as Listener, wrapped);
    return wrapped;
  }
}
