import { z } from 'zod';
import { type CompiledCron, compileCron, type OnSchedule } from '../schema/on-schedule.js';

/**
 * One schedule's place in time. A period with no row fires nothing, so a schedule needs the clock only while its
 * period has rows: the first row arms it for the next cron time, and firing disarms it. An idle schedule costs
 * no timer, and a clock that jumps years ahead (a replay from its first event) wakes it at most once.
 */
export class ScheduleBook {
  readonly #cron: CompiledCron;
  /** The last fire time, or when the schedule was saved: no period starts before it. */
  previous: number;
  /** The cron time that closes the open period, while it has rows. */
  due: number | undefined;

  constructor(trigger: OnSchedule, now: number) {
    this.#cron = compileCron(trigger.cron, trigger.timezone);
    this.previous = now;
  }

  /** A row came at engine-clock time `now`: its period ends at the next cron time, and began at the one before. */
  arm(now: number): void {
    if (this.due !== undefined) return;
    this.due = this.#cron.next(now);
    const start = this.due === undefined ? undefined : this.#cron.previous(this.due);
    if (start !== undefined && start > this.previous) this.previous = start;
  }

  fired(at: number): void {
    this.previous = at;
    this.due = undefined;
  }
}

/**
 * Schedules run on the engine clock, once per engine: every partition installs the same automation object at
 * the same change, so the first creates its book and the others share it; a new trigger is a new book.
 */
export class ScheduleBooks {
  readonly #books = new WeakMap<object, ScheduleBook>();
  readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  /** The book of an installed automation object (the key), created at the engine clock's now. */
  of(automation: object, trigger: OnSchedule): ScheduleBook {
    let b = this.#books.get(automation);
    if (b === undefined) {
      b = new ScheduleBook(trigger, this.now());
      this.#books.set(automation, b);
    }
    return b;
  }
}

const finite = z.number().refine(Number.isFinite, { message: 'must be finite' });

/** A schedule's book as a snapshot keeps it: automation id, previous fire time, next cron time. */
export const savedScheduleSchema = z.tuple([z.string(), finite, finite.nullable()]);
export type SavedSchedule = z.output<typeof savedScheduleSchema>;

/** One run's figures in an open period, as a snapshot keeps them (metric → last, min, max). */
export const savedPeriodRunSchema = z.object({
  automationId: z.string(),
  entity: z.string().max(4096),
  project: z.string().max(4096),
  runId: z.string().max(4096),
  runName: z.string().max(1024).optional(),
  user: z.string().max(4096).optional(),
  lastTime: finite,
  metrics: z.array(z.tuple([z.string(), finite, finite, finite])),
});
export type SavedPeriodRun = z.output<typeof savedPeriodRunSchema>;
