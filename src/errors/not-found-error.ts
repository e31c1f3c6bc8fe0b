import { isErrorNamed, textOf } from './safe-read.js';

/** No saved automation has this id. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError' as const;
  readonly id: string;

  constructor(id: string) {
    super(`No automation with id ${typeof id === 'string' ? JSON.stringify(id) : textOf(id)}`);
    this.id = id;
  }
}

export function isNotFoundError(error: unknown): error is NotFoundError {
  return isErrorNamed(error, NotFoundError.prototype, 'NotFoundError');
}
