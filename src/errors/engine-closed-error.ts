import { isErrorNamed, textOf } from './safe-read.js';

/** The engine was closed: it takes no more events or definitions. */
export class EngineClosedError extends Error {
  override readonly name = 'EngineClosedError' as const;

  constructor(operation: string) {
    super(`The engine is closed: ${textOf(operation, 'the call')} refused`);
  }
}

export function isEngineClosedError(error: unknown): error is EngineClosedError {
  return isErrorNamed(error, EngineClosedError.prototype, 'EngineClosedError');
}
