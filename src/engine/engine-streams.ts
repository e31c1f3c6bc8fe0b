import { EventEmitter } from 'eventemitter3';
import { type Observable, Subject } from 'rxjs';
import type { Firing } from '../core/firing.js';
import type { Suppressed } from '../core/suppressed.js';
import { DefinitionError } from '../errors/definition-error.js';
import { type Issue, issue } from '../errors/issue.js';
import type { DeadLetter, DeliveryRecord } from '../sinks/delivery/delivery-record.js';
import { eventName } from './engine-args.js';

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
 * The engine's streams and listeners. Each listener is isolated: one that throws is reported and the others
 * still run.
 */
export class EngineStreams {
  readonly firings$: Observable<Firing>;
  readonly errors$: Observable<Issue>;
  readonly deliveries$: Observable<DeliveryRecord>;
  readonly #firings = new Subject<Firing>();
  readonly #errors = new Subject<Issue>();
  readonly #deliveries = new Subject<DeliveryRecord>();
  // Untyped inside: the public methods carry the types, and every listener is wrapped.
  readonly #emitter = new EventEmitter<keyof EngineEvents>();
  readonly #wrapped = new Map<keyof EngineEvents, Map<Listener, Listener>>();

  constructor() {
    this.firings$ = this.#firings.asObservable();
    this.errors$ = this.#errors.asObservable();
    this.deliveries$ = this.#deliveries.asObservable();
  }

  on(event: keyof EngineEvents, listener: unknown): void {
    this.#emitter.on(eventName(event, EVENT_NAMES), this.#wrap(event, listener));
  }

  once(event: keyof EngineEvents, listener: unknown): void {
    this.#emitter.once(eventName(event, EVENT_NAMES), this.#wrap(event, listener));
  }

  off(event: keyof EngineEvents, listener: unknown): void {
    const wrapped = this.#wrapped.get(eventName(event, EVENT_NAMES))?.get(listener as Listener);
    if (wrapped !== undefined) this.#emitter.off(event, wrapped);
  }

  fired(firing: Firing): void {
    this.#firings.next(firing);
    this.#emitter.emit('fired', firing);
  }

  report(i: Issue): void {
    this.#errors.next(i);
    this.#emitter.emit('error', i);
  }

  suppressed(s: Suppressed): void {
    this.#emitter.emit('suppressed', s);
  }

  record(record: DeliveryRecord): void {
    this.#deliveries.next(record);
  }

  delivered(record: DeliveryRecord): void {
    this.#emitter.emit('delivered', record);
  }

  deadLettered(letter: DeadLetter): void {
    this.#emitter.emit('dead-lettered', letter);
  }

  /** Whether anyone would see delivery records: else the deliverer need not build them. */
  /** Whether anyone listens for held-back matches: else the core need not build them. */
  wantsSuppressed(): boolean {
    return this.#emitter.listenerCount('suppressed') > 0;
  }

  wantsRecords(): boolean {
    return this.#deliveries.observed || this.#emitter.listenerCount('delivered') > 0;
  }

  complete(): void {
    this.#firings.complete();
    this.#errors.complete();
    this.#deliveries.complete();
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
          this.report(issue('listener_failed', [event], `a '${event}' listener threw: ${message}`, error));
        }
      }
    };
    byListener.set(listener as Listener, wrapped);
    return wrapped;
  }
}
