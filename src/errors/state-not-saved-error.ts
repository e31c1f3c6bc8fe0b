/** `close()` stopped the engine but its final checkpoint failed: the state was not saved. Call `close()` again to retry. */
export class StateNotSavedError extends Error {
  override readonly name = 'StateNotSavedError' as const;

  constructor(cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`The engine is closed but its state was not saved (${reason}); call close() again to retry`, {
      cause,
    });
  }
}

export function isStateNotSavedError(error: unknown): error is StateNotSavedError {
  return (
    error instanceof StateNotSavedError || (error instanceof Error && error.name === 'StateNotSavedError')
  );
}
