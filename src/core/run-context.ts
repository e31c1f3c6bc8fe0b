import type { Issue } from '../errors/issue.js';
import type { PatternCache } from '../match/pattern-cache.js';
import type { MetricWatcher } from '../routing/watcher.js';
import type { Counters } from '../state/counters.js';
import type { RunStore } from '../state/run-store.js';
import type { Firer } from './firer.js';

/** What the run handlers share: the runs, the pattern cache, the firer, the counters and the issue sink. */
export type RunContext = {
  readonly runs: RunStore<MetricWatcher>;
  readonly patterns: PatternCache;
  readonly firer: Firer;
  readonly counters: Counters;
  readonly report: (issue: Issue) => void;
};
