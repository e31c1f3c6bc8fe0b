import { hasOwnData, isErrorNamed, ownData, textOf } from './safe-read.js';

/** What a principal may be refused: the management operations, and `read` (get, list, export, history). */
export type Operation = 'save' | 'update' | 'delete' | 'enable' | 'disable' | 'import' | 'read';

/** Why: the authorize function said no, threw (its error is the `cause`), or answered something other than a boolean. */
export type ForbiddenReason = 'denied' | 'threw' | 'invalid_result';

/** The automation an operation was refused on: its id and name only, never its definition (which may hold secrets). */
export type ForbiddenTarget = { readonly id?: string; readonly name?: string };

/** The engine's `authorize` function refused a management operation; fail closed, so also when it threw. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError' as const;
  /** The principal as given to `engine.as(principal)`; never part of the message. */
  readonly principal: unknown;
  readonly operation: Operation;
  readonly target: ForbiddenTarget;
  readonly reason: ForbiddenReason;

  constructor(
    principal: unknown,
    operation: Operation,
    target: ForbiddenTarget,
    reason: ForbiddenReason = 'denied',
    options?: { readonly cause?: unknown },
  ) {
    // Read without running a getter: a caller may build one of these by hand.
    const id = ownData(target, 'id');
    const name = ownData(target, 'name');
    const known = { ...(typeof id === 'string' && { id }), ...(typeof name === 'string' && { name }) };
    super(
      `Forbidden: ${textOf(operation)}${describe(known)}${typeof reason === 'string' && Object.hasOwn(REASONS, reason) ? REASONS[reason] : ''}`,
      hasOwnData(options, 'cause') ? { cause: ownData(options, 'cause') } : undefined,
    );
    this.principal = principal;
    this.operation = operation;
    this.target = Object.freeze(known);
    this.reason = reason;
  }
}

const REASONS: Readonly<Record<ForbiddenReason, string>> = {
  denied: '',
  threw: ' (the authorize function threw; see cause)',
  invalid_result: ' (the authorize function must return true or false, synchronously)',
};

function describe({ id, name }: ForbiddenTarget): string {
  const quotedId = JSON.stringify(id);
  if (name !== undefined) {
    return ` of automation ${JSON.stringify(name)}${id === undefined ? '' : ` (id ${quotedId})`}`;
  }
  return id === undefined ? '' : ` of automation id ${quotedId}`;
}

export function isForbiddenError(error: unknown): error is ForbiddenError {
  return isErrorNamed(error, ForbiddenError.prototype, 'ForbiddenError');
}
