import type { AcceptedEvent } from '../events/parse-event.js';
import type { CloudEvent } from '../schema/cloud-event.js';
import type { Firer } from './firer.js';
import type { FiringSummary, SummaryRun } from './firing.js';
import { MAX_SUMMARY_RUNS, type ScheduleWatcher, type TakenRun } from './schedule-handler.js';
import type { TimedFiring } from './timed-firing.js';

/** The source of the events a schedule firing carries: the engine clock made them. */
export const SCHEDULE_SOURCE = 'ml-automations/schedule';

type Taken = TakenRun;

/**
 * Fire each schedule whose cron time has come, with the runs every partition saw in its period (gathered by
 * `take`), most recent first, at most 1,000. A period with no row fires nothing; no cooldown applies.
 */
export function fireSchedules(
  watchers: readonly ScheduleWatcher[],
  now: number,
  take: (automationId: string) => Taken[],
  firer: Firer,
  out: TimedFiring[],
): void {
  for (const w of watchers) {
    const book = w.book;
    const at = book.due;
    if (at === undefined || at > now) continue;
    const from = book.previous;
    const runs = take(w.automation.id);
    book.fired(at);
    if (runs.length === 0) continue;
    const key = (r: Taken) => `${r.entity}\u0000${r.project}\u0000${r.runId}`;
    runs.sort((a, b) => b.lastTime - a.lastTime || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const { cron, timezone, metrics, scope } = w.trigger;
    const summary: FiringSummary = {
      cron,
      timezone,
      from,
      to: at,
      metrics,
      runs: runs.slice(0, MAX_SUMMARY_RUNS).map(summaryRun),
      total: runs.length,
    };
    const event: CloudEvent = {
      specversion: '1.0',
      id: String(at),
      source: SCHEDULE_SOURCE,
      type: 'schedule.fired',
      time: at,
      data: {
        entity: scope.entity,
        ...(scope.type === 'project' && { project: scope.project }),
        cron,
        timezone,
      },
    };
    const accepted: AcceptedEvent = {
      kind: 'foreign',
      id: event.id,
      source: SCHEDULE_SOURCE,
      time: at,
      event,
    };
    const firing = firer.fire(w.automation, accepted, undefined, { summary });
    if (firing !== undefined) out.push({ firing, automation: w.automation, key: '' });
  }
}

function summaryRun(p: Taken): SummaryRun {
  return {
    entity: p.entity,
    project: p.project,
    runId: p.runId,
    ...(p.runName !== undefined && { runName: p.runName }),
    ...(p.user !== undefined && { user: p.user }),
    ...(p.state !== undefined && { state: p.state }),
    lastTime: p.lastTime,
    metrics: Object.fromEntries([...p.metrics].map(([name, m]) => [name, { ...m }])),
  };
}
