import { formatIssues } from './from-zod.js';
import type { Issue } from './issue.js';
import { isErrorNamed, textOf } from './safe-read.js';

/** A definition (automation, trigger, filter, action, option) was refused; `issues` name each field and value. */
export class DefinitionError extends Error {
  override readonly name = 'DefinitionError' as const;
  readonly issues: readonly Issue[];

  constructor(issues: readonly Issue[], what = 'definition') {
    super(`Invalid ${textOf(what, 'definition')}: ${formatIssues(issues)}`);
    this.issues = issues;
  }
}

export function isDefinitionError(error: unknown): error is DefinitionError {
  return isErrorNamed(error, DefinitionError.prototype, 'DefinitionError');
}
