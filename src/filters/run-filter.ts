import type { PatternCache } from '../match/pattern-cache.js';
import type { Pattern } from '../match/pattern-engine.js';
import type { RunFilter } from '../schema/run-filter.js';

export type RunIdentity = { readonly user: string | undefined; readonly runName: string | undefined };

/** Both parts must hold when both are given; a run with no name never matches a `runName` pattern. */
export function compileRunFilter(
  filter: RunFilter | undefined,
  patterns: PatternCache,
): (run: RunIdentity) => boolean {
  if (filter === undefined) return () => true;
  const { user } = filter;
  const name: Pattern | undefined =
    filter.runName === undefined ? undefined : patterns.compile(filter.runName);
  return (run) => {
    if (user !== undefined && run.user !== user) return false;
    if (name !== undefined && (run.runName === undefined || !name.test(run.runName))) return false;
    return true;
  };
}
