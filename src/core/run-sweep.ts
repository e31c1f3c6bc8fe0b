import type { Retention } from '../state/retention.js';
import type { RunRecord } from '../state/run-record.js';
import type { RunStore } from '../state/run-store.js';
import type { WindowReader } from '../windows/layout.js';

/**
 * Release the runs nobody will miss, on event time `now`: idle ones, and finished/failed/killed ones past their
 * grace period whose cooldowns have all run out. Returns how many were released.
 */
export function sweepRuns<W extends WindowReader>(
  runs: RunStore<W>,
  now: number,
  retention: Required<Retention>,
  cooldowns: ReadonlyMap<string, number>,
): number {
  const { runIdleMs, terminalRunMs } = retention;
  let released = 0;
  for (const run of [...runs.values()]) {
    // A run whose stall is still to be judged is kept however idle: silence is what a stall watches for.
    const idle = run.lastSeen < now - runIdleMs && !awaitsStall(run);
    const done =
      ended(run) && (run.stateTime ?? run.lastSeen) + terminalRunMs <= now && cooledDown(run, now, cooldowns);
    if (idle || done) {
      runs.delete(run);
      released += 1;
    }
  }
  return released;
}

/**
 * Whether a sweep at `now` may release `run`, whatever the metric values it is still to be given: only an idle
 * or an ended run may go, and applying a value changes neither (a row sets the run's last-seen time as it is
 * staged, and only other events change its state).
 */
export function mayRelease<W extends WindowReader>(
  run: RunRecord<W>,
  now: number,
  retention: Required<Retention>,
): boolean {
  return run.lastSeen < now - retention.runIdleMs || ended(run);
}

function ended<W extends WindowReader>(run: RunRecord<W>): boolean {
  return run.state === 'finished' || run.state === 'failed' || run.state === 'killed';
}

function awaitsStall<W extends WindowReader>(run: RunRecord<W>): boolean {
  if (run.stalls === undefined) return false;
  for (const m of run.stalls.values()) if (m.heapIndex >= 0) return true;
  return false;
}

function cooledDown<W extends WindowReader>(
  run: RunRecord<W>,
  now: number,
  cooldowns: ReadonlyMap<string, number>,
): boolean {
  if (run.lastFired === undefined) return true;
  for (const [id, last] of run.lastFired) {
    const cooldown = cooldowns.get(id) ?? 0;
    if (last + cooldown > now) return false;
  }
  return true;
}
