import { parseDefinition } from '../definitions/parse.js';
import type { Automation } from '../schema/automation.js';
import { type ScopeInput, scopeSchema } from '../schema/scope.js';
import { sameJson } from './same-json.js';

export type AutomationFilter = {
  readonly name?: string;
  readonly scope?: ScopeInput;
  readonly enabled?: boolean;
};

/** The test `list(filter)` applies: every field given must match (a scope in any form); undefined keeps all. */
export function listFilter(filter: AutomationFilter): ((a: Automation) => boolean) | undefined {
  const { name, enabled } = filter;
  const scope = filter.scope === undefined ? undefined : parseDefinition(scopeSchema, filter.scope, 'scope');
  if (name === undefined && enabled === undefined && scope === undefined) return undefined;
  return (a) =>
    (name === undefined || a.name === name) &&
    (enabled === undefined || a.enabled === enabled) &&
    (scope === undefined || (a.scope !== undefined && sameJson(a.scope, scope)));
}
