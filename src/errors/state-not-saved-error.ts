import { isErrorNamed, ownData, textOf } from './safe-read.js';

/** `close()` stopped the engine but its final checkpoint failed: the state was not saved. Call `close()` again to retry. */
export class StateNotSavedError extends Error {
  override readonly name = 'StateNotSavedError' as const;

  constructor(cause: unknown) {
    // The store's error is read without running any of its code (a getter on `message`, a toString).
    const reason = textOf(ownData(cause, 'message') ?? cause, 'an error');
    super(`The engine is closed but its state was not saved (${reason}); call close() again to retry`, {
      cause,
    });
  }
}

export function isStateNotSavedError(error: unknown): error is StateNotSavedError {
  return isErrorNamed(error, StateNotSavedError.prototype, 'StateNotSavedError');
}
