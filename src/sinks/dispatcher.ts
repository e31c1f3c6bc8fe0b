import { type Issue, issue } from '../errors/issue.js';
import { integrationOf } from '../schema/actions.js';
import type { Firing } from '../streams/firing.js';
import type { Integration } from './integration.js';

/**
 * Hands each firing to the integration its action names, isolating every call: a sink that throws or
 * rejects is reported and the stream goes on. Tracks what is in flight so `close` can wait for it.
 */
export class Dispatcher {
  readonly #integrations: ReadonlyMap<string, Integration>;
  readonly #report: (issue: Issue) => void;
  readonly #controller = new AbortController();
  readonly #inFlight = new Set<Promise<void>>();

  constructor(integrations: ReadonlyMap<string, Integration>, report: (issue: Issue) => void) {
    this.#integrations = integrations;
    this.#report = report;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  dispatch(firing: Firing): void {
    const name = integrationOf(firing.action);
    if (name === undefined) return;
    const sink = this.#integrations.get(name);
    if (sink === undefined) return;
    try {
      const result = sink.deliver(firing, this.#controller.signal);
      if (isPromiseLike(result)) {
        const tracked: Promise<void> = Promise.resolve(result).then(
          () => undefined,
          (error: unknown) => this.#failed(firing, name, error),
        );
        this.#inFlight.add(tracked);
        void tracked.finally(() => this.#inFlight.delete(tracked));
      }
    } catch (error) {
      this.#failed(firing, name, error);
    }
  }

  /** Wait for every delivery in flight; with `abort`, tell them to stop first. */
  async drain(abort: boolean): Promise<void> {
    if (abort) this.#controller.abort(new Error('engine closed'));
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #failed(firing: Firing, integration: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#report({
      ...issue(
        'sink_failed',
        ['action', 'integration'],
        `integration ${JSON.stringify(integration)} failed: ${message}`,
        error,
      ),
      automationId: firing.automationId,
      eventId: firing.event.id,
      source: firing.event.source,
    });
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
