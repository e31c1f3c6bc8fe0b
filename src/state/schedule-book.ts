import { z } from 'zod';
import { compileCron, type OnSchedule } from '../schema/on-schedule.js';

/** One schedule's place in time: the previous fire time (or when it was saved) and the next cron time. */
export class ScheduleBook {
  readonly #next: (from: number) => number | undefined;
  previous: number;
  due: number | undefined;

  constructor(trigger: OnSchedule, now: number) {
    this.#next = compileCron(trigger.cron, trigger.timezone);
    this.previous = now;
    this.due = this.#next(now);
  }

  /** Fired (or skipped) at `at`; the next cron time comes after `now`, so periods the clock jumped over are one. */
  advance(at: number, now: number): void {
    this.previous = at;
    this.due = this.#next(Math.max(at, now));
  }
}

/**
 * Schedules run on the engine clock, once per engine: every partition installs the same automation object at
 * the same change, so the first creates its book and the others share it; a new trigger is a new book.
 */
export class ScheduleBooks {
  readonly #books = new WeakMap<object, ScheduleBook>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** The book of an installed automation object (the key), created at the engine clock's now. */
  of(automation: object, trigger: OnSchedule): ScheduleBook {
    let b = this.#books.get(automation);
    if (b === undefined) {
      b = new ScheduleBook(trigger, this.#now());
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
