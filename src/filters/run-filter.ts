import type { PatternCache } from '../match/pattern-cache.js';
import type { Pattern } from '../match/pattern-engine.js';
import { compileRunExpression, type RunDocument } from '../match/run-expression.js';
import { isSimpleRunFilter, type RunFilter, type SimpleRunFilter } from '../schema/run-filter.js';

/** What a run filter reads of a run; `revision` changes whenever any of the rest does. */
export interface RunIdentity extends RunDocument {
  readonly revision: number;
}

export type Test = (run: RunDocument) => boolean;

const EVERY_RUN = (): boolean => true;

/** Both parts must hold when both are given; a run with no name never matches a `runName` pattern. */
function simple(filter: SimpleRunFilter, patterns: PatternCache): Test {
  const { user } = filter;
  const name: Pattern | undefined =
    filter.runName === undefined ? undefined : patterns.compile(filter.runName);
  return (run) => {
    if (user !== undefined && run.user !== user) return false;
    if (name !== undefined && (run.runName === undefined || !name.test(run.runName))) return false;
    return true;
  };
}

/** `{}` or `{ "$and": [] }` (what W&B's SDK writes for "no filter"): every run, with no cache to keep. */
function isEveryRun(filter: RunFilter): boolean {
  const keys = Object.keys(filter);
  if (keys.length === 0) return true;
  const and = (filter as { readonly $and?: unknown }).$and;
  return keys.length === 1 && Array.isArray(and) && and.length === 0;
}

/** A run filter as an uncached test; undefined when it admits every run (no filter, `{}`, `{ "$and": [] }`). */
export function compileRunTest(filter: RunFilter | undefined, patterns: PatternCache): Test | undefined {
  if (filter === undefined || isEveryRun(filter)) return undefined;
  return isSimpleRunFilter(filter) ? simple(filter, patterns) : compileRunExpression(filter, patterns);
}

/**
 * A run filter compiled once per automation, with each run's verdict kept until the run's revision changes
 * (its name, user, tags, config or state): a metric value never walks the expression again. The verdict is kept
 * as `2 × revision + (0 | 1)` in a WeakMap, so a released run takes its entry with it and a lookup allocates nothing.
 */
export function compileRunFilter(
  filter: RunFilter | undefined,
  patterns: PatternCache,
): (run: RunIdentity) => boolean {
  const test = compileRunTest(filter, patterns);
  if (test === undefined) return EVERY_RUN;
  const verdicts = new WeakMap<RunIdentity, number>();
  return (run) => {
    const kept = verdicts.get(run);
    const base = 2 * run.revision;
    if (kept === base) return false;
    if (kept === base + 1) return true;
    const verdict = test(run);
    verdicts.set(run, verdict ? base + 1 : base);
    return verdict;
  };
}
