import type { Engine } from '../index.js';
import { type Problem, problem } from './problem.js';

/**
 * Group commit: every answer waits for a checkpoint that starts after its change was applied. The engine
 * coalesces requests (one save in flight, one waiting, shared by all who ask meanwhile), so under load one
 * snapshot covers many requests. `healthy` is false after a failed save, until one succeeds.
 */
export class Durability {
  readonly #engine: Engine;
  #healthy = true;

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  get healthy(): boolean {
    return this.#healthy;
  }

  async commit(): Promise<void> {
    try {
      await this.#engine.checkpoint();
      this.#healthy = true;
    } catch (error) {
      this.#healthy = false;
      throw new NotSaved(error);
    }
  }
}

/** The change is applied but not on disk: answered 503, so the sender retries (a retry is a duplicate, then 2xx). */
export class NotSaved extends Error {
  override readonly name = 'NotSaved' as const;
  readonly problem: Problem;
  constructor(
    cause: unknown,
    answer = problem(503, 'not-saved', 'The state could not be saved; send it again'),
  ) {
    super('checkpoint failed', { cause });
    this.problem = answer;
  }
}
