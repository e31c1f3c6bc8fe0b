import type { Issue } from '../errors/issue.js';
import type { PartitionState } from '../state/partition-state.js';
import type { ScheduleBooks } from '../state/schedule-book.js';
import { internalIssue } from './event-intake.js';
import type { RunContext } from './run-context.js';
import { fireSchedules } from './schedule-due.js';
import { ScheduleHandler, type TakenRun } from './schedule-handler.js';
import { StallHandler } from './stall-handler.js';
import type { TimedFiring } from './timed-firing.js';

type TimedState = Pick<PartitionState, 'schedules' | 'periods'>;

/**
 * A partition's triggers that the engine clock fires: stalls (its own runs) and, in partition 0, schedules (with
 * the period every partition saw). The engine asks when to wake (`nextDue`) and what is due (`due`).
 */
export class TimedTriggers {
  readonly stalls: StallHandler;
  readonly schedules: ScheduleHandler;
  readonly #first: boolean;
  readonly #report: (issue: Issue) => void;

  constructor(context: RunContext, books: ScheduleBooks, first: boolean) {
    this.stalls = new StallHandler(context);
    this.schedules = new ScheduleHandler(context, books);
    this.#first = first;
    this.#report = context.report;
  }

  get nextDue(): number | undefined {
    const stall = this.stalls.nextDue;
    const schedule = this.#first ? this.schedules.nextDue : undefined;
    return stall === undefined ? schedule : schedule === undefined ? stall : Math.min(stall, schedule);
  }

  /** Judge what is due at engine-clock time `now`. Never throws: a fault of ours is reported. */
  due(now: number, out: TimedFiring[], take: (automationId: string) => TakenRun[]): void {
    try {
      this.stalls.due(now, out);
      if (this.#first) fireSchedules(this.schedules.watchers, now, take, this.schedules.firer, out);
    } catch (error) {
      this.#report(internalIssue(error, 'judging stalls and schedules'));
    }
  }

  /** Schedules' books (partition 0 keeps them) and this partition's open periods, for the snapshot. */
  save(): TimedState {
    const schedules = this.#first ? this.schedules.saveBooks() : [];
    const periods = this.schedules.save();
    return { ...(schedules.length > 0 && { schedules }), ...(periods.length > 0 && { periods }) };
  }

  load(state: TimedState): void {
    if (state.schedules !== undefined) this.schedules.loadBooks(state.schedules);
    if (state.periods !== undefined) this.schedules.load(state.periods);
  }
}
