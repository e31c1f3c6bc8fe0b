import { parseInput } from '../definitions/parse.js';
import { DefinitionError } from '../errors/definition-error.js';
import { issue } from '../errors/issue.js';
import { type EngineState, engineStateSchema } from './engine-state.js';
import type { StateStore } from './state-store.js';

/** A stored state, validated whole (a DefinitionError names what is wrong); undefined if none yet. */
function checked(raw: unknown): EngineState | undefined {
  return raw === undefined ? undefined : (parseInput(engineStateSchema, raw, 'stored state') as EngineState);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** The store's last checkpoint, for `createEngine`: read synchronously, or refused with a pointer to `openEngine`. */
export function loadStateSync(store: StateStore): EngineState | undefined {
  const raw = store.loadSync !== undefined ? store.loadSync() : store.load();
  if (isThenable(raw)) {
    // Nobody will await it: a rejection must not surface as an unhandled one.
    Promise.resolve(raw).catch(() => undefined);
    throw new DefinitionError(
      [
        issue(
          'invalid_type',
          ['store'],
          'this store loads asynchronously: open the engine with `await openEngine(options)`',
          'a promise',
        ),
      ],
      'engine options',
    );
  }
  return checked(raw);
}

/** The store's last checkpoint, for `openEngine`: `load()` awaited. */
export async function loadStateAsync(store: StateStore): Promise<EngineState | undefined> {
  return checked(await store.load());
}
