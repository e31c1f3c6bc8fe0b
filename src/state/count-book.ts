import { z } from 'zod';
import type { RunState } from '../schema/run-events.js';

/** One run counted by a count trigger: its latest change into the watched states. */
export type CountedRun = {
  readonly runId: string;
  readonly runName?: string;
  readonly state: RunState;
  readonly time: number;
};

/** Evidence lists at most this many runs (the most recent): `atLeast` is at most 1,000 too. */
const MAX_LISTED = 1000;

/** One project's (or entity's) window of counted runs, and when the automation last fired for it. */
export class CountGroup {
  /** Run id → its latest counted change; only changes inside the window ending at `latest` are kept. */
  readonly runs = new Map<string, CountedRun>();
  latest = Number.NEGATIVE_INFINITY;
  /** Automation id → event time of its last firing for this group: the cooldown is per group, not per run. */
  readonly lastFired = new Map<string, number>();

  /**
   * Count one change; returns the runs in the window (oldest first, at most 1,000) when the change is inside
   * it and at least `atLeast` distinct runs are, else undefined. A late change counts in the window that
   * ends at the latest change seen, never moving it back.
   */
  record(change: CountedRun, withinMs: number, atLeast: number): readonly CountedRun[] | undefined {
    if (change.time > this.latest) this.latest = change.time;
    const from = this.latest - withinMs;
    const held = this.runs.get(change.runId);
    if (held === undefined || held.time <= change.time) this.runs.set(change.runId, change);
    for (const [id, r] of this.runs) if (r.time <= from) this.runs.delete(id);
    if (change.time <= from || this.runs.size < atLeast) return undefined;
    const counted = [...this.runs.values()].sort((a, b) => a.time - b.time || cmp(a.runId, b.runId));
    return counted.length > MAX_LISTED ? counted.slice(-MAX_LISTED) : counted;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One count automation's groups, shared by every partition: a project's runs live in many partitions. */
export class CountBook {
  readonly groups = new Map<string, CountGroup>();

  group(key: string): CountGroup {
    let g = this.groups.get(key);
    if (g === undefined) {
      g = new CountGroup();
      this.groups.set(key, g);
    }
    return g;
  }

  save(automationId: string): SavedCountGroup[] {
    return [...this.groups].map(([key, g]) => ({
      automationId,
      key,
      latest: Number.isFinite(g.latest) ? g.latest : null,
      runs: [...g.runs.values()],
      lastFired: [...g.lastFired],
    }));
  }

  /** Put back a saved group; groups saved by several partitions (a cluster's) merge, the latest of each kept. */
  load(saved: SavedCountGroup): void {
    const g = this.group(saved.key);
    if (saved.latest !== null && saved.latest > g.latest) g.latest = saved.latest;
    for (const { runName, ...r } of saved.runs)
      if ((g.runs.get(r.runId)?.time ?? Number.NEGATIVE_INFINITY) <= r.time)
        g.runs.set(r.runId, { ...r, ...(runName !== undefined && { runName }) });
    for (const [id, t] of saved.lastFired)
      if ((g.lastFired.get(id) ?? Number.NEGATIVE_INFINITY) < t) g.lastFired.set(id, t);
  }
}

const finite = z.number().refine(Number.isFinite, { message: 'must be finite' });

/** A count group as a snapshot keeps it. */
export const savedCountGroupSchema = z.object({
  automationId: z.string(),
  key: z.string(),
  latest: finite.nullable(),
  runs: z.array(
    z.object({
      runId: z.string().max(4096),
      runName: z.string().max(1024).optional(),
      state: z.enum(['pending', 'running', 'finished', 'failed', 'crashed', 'killed']),
      time: finite,
    }),
  ),
  lastFired: z.array(z.tuple([z.string(), finite])),
});
export type SavedCountGroup = z.output<typeof savedCountGroupSchema>;

/**
 * Every partition of an engine installs the same automation object at the same definition change, so the
 * first to install one creates its book and the others share it; a new trigger is a new object, a new book.
 */
export class CountBooks {
  readonly #books = new WeakMap<object, CountBook>();

  of(automation: object): CountBook {
    let b = this.#books.get(automation);
    if (b === undefined) {
      b = new CountBook();
      this.#books.set(automation, b);
    }
    return b;
  }
}
