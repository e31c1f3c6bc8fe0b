import type { Subscription } from 'rxjs';
import { StateNotSavedError } from '../errors/state-not-saved-error.js';
import type { EngineParts } from './compose-engine.js';
import { closeOptions } from './engine-args.js';

/**
 * An engine's shutdown: stop intake, disconnect sources, settle deliveries, write a last checkpoint, complete the
 * streams. The first close() stops; a failed last checkpoint is retried by the next close().
 */
export class Lifecycle {
  readonly connections = new Set<Subscription>();
  readonly #parts: EngineParts;
  #closed = false;
  /** Set by the first close(): intake stopped and deliveries settled. */
  #stopping: Promise<void> | undefined;
  /** close()'s last checkpoint: kept once it succeeded, forgotten when it failed so the next close() retries. */
  #finalSave: Promise<void> | undefined;

  constructor(parts: EngineParts) {
    this.#parts = parts;
  }

  get closed(): boolean {
    return this.#closed;
  }

  checkpoint(): Promise<void> {
    return this.#parts.checkpoints?.request() ?? Promise.resolve();
  }

  async close(given: unknown): Promise<void> {
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
    const complete = (): void => this.#parts.streams.complete();
    return this.checkpoint().then(complete, (error: unknown) => {
      this.#finalSave = undefined;
      complete();
      throw new StateNotSavedError(error);
    });
  }

  async #stop(abort: boolean): Promise<void> {
    for (const subscription of this.connections) subscription.unsubscribe();
    this.connections.clear();
    this.#parts.checkpoints?.stop();
    this.#parts.ticker.stop();
    await this.#parts.outbox.close({ abort });
  }
}
