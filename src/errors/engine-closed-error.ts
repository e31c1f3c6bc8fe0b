/** The engine was closed: it takes no more events or definitions. */
export class EngineClosedError extends Error {
  override readonly name = 'EngineClosedError' as const;

  constructor(operation: string) {
    super(`The engine is closed: ${operation} refused`);
  }
}

export function isEngineClosedError(error: unknown): error is EngineClosedError {
  return error instanceof EngineClosedError || (error instanceof Error && error.name === 'EngineClosedError');
}
