import type { z } from 'zod';
import type { Scope } from './scope.js';

/** Run events happen in projects: registry and collection scopes are refused. */
export function runScope<T extends { scope: Scope }>(t: T, ctx: z.core.$RefinementCtx<T>): void {
  if (t.scope.type === 'registry' || t.scope.type === 'collection') {
    ctx.addIssue({
      code: 'custom',
      path: ['scope'],
      message: `run triggers take an entity or project scope, not a ${t.scope.type} scope`,
      input: t.scope,
      params: { code: 'scope_not_allowed' },
    });
  }
}
