/** No saved automation has this id. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError' as const;
  readonly id: string;

  constructor(id: string) {
    super(`No automation with id ${JSON.stringify(id)}`);
    this.id = id;
  }
}

export function isNotFoundError(error: unknown): error is NotFoundError {
  return error instanceof NotFoundError || (error instanceof Error && error.name === 'NotFoundError');
}
