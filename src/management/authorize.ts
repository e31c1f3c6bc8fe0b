import { ForbiddenError, type Operation } from '../errors/forbidden-error.js';
import type { Automation, NewAutomation, SaveOptions } from '../schema/automation.js';
import type { Scope } from '../schema/scope.js';
import type { Loose } from './defaults.js';
import { type Patch, patchedDraft } from './patch.js';

export type { Operation };

/**
 * What an operation acts on. `save`: the new automation (`draft`, parsed, and its `scope`); `enable`, `disable`,
 * `delete`, `read`: the saved one as it is (`automation`, `scope`); an unknown id gives only `id`. `update` is
 * asked twice: first on the automation as it is (`automation`, its `scope`, and `draft`, what it would become),
 * then on what it would become (`id`, the new `name` and `scope`, `draft`; no `automation`). `import` is asked once
 * with `{}` before its changes. A delivery record of a deleted automation is read as `{ id, name }`.
 */
export type AuthorizeTarget = {
  readonly id?: string;
  readonly name?: string;
  readonly scope?: Scope;
  readonly automation?: Automation;
  readonly draft?: NewAutomation;
};

/**
 * Decides whether a principal may do an operation; only `true` allows. Called synchronously before every
 * change made through `engine.as(principal)`, and for each automation a read through it would show: returning
 * anything else, or throwing, refuses (ForbiddenError).
 * @example (user, op, target) => target.scope?.entity === (user as User).team
 */
export type Authorize = (principal: unknown, operation: Operation, target: AuthorizeTarget) => boolean;

/**
 * Ask `authorize`: `true` or `false`. A throw (kept as the cause) or any other answer throws ForbiddenError,
 * so a broken policy refuses rather than decides.
 */
export function askAuthorized(
  authorize: Authorize,
  principal: unknown,
  operation: Operation,
  target: AuthorizeTarget,
): boolean {
  let answer: unknown;
  try {
    answer = authorize(principal, operation, target);
  } catch (error) {
    throw new ForbiddenError(principal, operation, target, 'threw', { cause: error });
  }
  if (answer === true || answer === false) return answer;
  throw new ForbiddenError(principal, operation, target, 'invalid_result');
}

/** Ask `authorize`; fail closed: a `false`, a throw (kept as the cause) or any other answer throws ForbiddenError. */
export function checkAuthorized(
  authorize: Authorize,
  principal: unknown,
  operation: Operation,
  target: AuthorizeTarget,
): void {
  if (!askAuthorized(authorize, principal, operation, target))
    throw new ForbiddenError(principal, operation, target, 'denied');
}

/** A saved automation as a target. */
export function savedTarget(automation: Automation): AuthorizeTarget {
  return {
    id: automation.id,
    name: automation.name,
    ...(automation.scope !== undefined && { scope: automation.scope }),
    automation,
  };
}

/** A new automation as a target: `draft` already parsed, so its scope is normalised. */
export function draftTarget(
  draft: NewAutomation,
  options: Loose<Pick<SaveOptions, 'id' | 'name'>> = {},
): AuthorizeTarget {
  const name = options.name ?? draft.name;
  return {
    ...(options.id !== undefined && { id: options.id }),
    ...(name !== undefined && { name }),
    ...(draft.event.scope !== undefined && { scope: draft.event.scope }),
    draft,
  };
}

/** An update as a target: the automation as it is, and as it would be with the (parsed) patch. */
export function updateTarget(before: Automation, patch: Patch): AuthorizeTarget {
  return { ...savedTarget(before), draft: patchedDraft(before, patch) };
}

/** What an update would make, as a target of its own: the draft under the automation's id, with its name and scope. */
export function resultTarget(id: string | undefined, draft: NewAutomation): AuthorizeTarget {
  return draftTarget(draft, id === undefined ? {} : { id });
}
