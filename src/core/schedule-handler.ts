import type { AcceptedEvent } from '../events/parse-event.js';
import { byAge } from '../routing/age-order.js';
import { KeyedLists } from '../routing/keyed-lists.js';
import { runPlaceKeys, scopeKey } from '../routing/scope-key.js';
import type { Automation } from '../schema/automation.js';
import type { OnSchedule } from '../schema/on-schedule.js';
import type { RunState } from '../schema/run-events.js';
import type { Scope } from '../schema/scope.js';
import type { SavedPeriodRun, SavedSchedule, ScheduleBook, ScheduleBooks } from '../state/schedule-book.js';
import type { Firing } from './firing.js';
import { type Handler, type Installed, wrongFamily } from './installed.js';
import type { RunContext } from './run-context.js';

/** At most this many runs per schedule per period and partition: a summary lists at most 1,000 in all. */
export const MAX_SUMMARY_RUNS = 1000;

/** One run's figures in the open period. */
export type PeriodRun = {
  readonly entity: string;
  readonly project: string;
  readonly runId: string;
  runName: string | undefined;
  user: string | undefined;
  lastTime: number;
  readonly metrics: Map<string, { last: number; min: number; max: number }>;
};

/** A run of a period as taken at fire time, with its state then. */
export type TakenRun = PeriodRun & { readonly state?: RunState };

/** An enabled schedule, compiled: its clock (shared by the partitions) and this partition's open period. */
export interface ScheduleWatcher {
  automation: Automation;
  readonly scope: Scope;
  readonly trigger: OnSchedule;
  readonly book: ScheduleBook;
  /** Run key → figures, for the runs of its scope that logged a row since the previous fire time. */
  readonly period: Map<string, PeriodRun>;
}

/**
 * Schedules (§4.3), this partition's part: the per-period figures of the runs of watched scopes only, so a row
 * of a scope no schedule watches costs one index look-up. Firing is the engine clock's (see schedule-due).
 */
export class ScheduleHandler implements Handler {
  readonly #lists = new KeyedLists<ScheduleWatcher>();
  readonly #byId = new Map<string, ScheduleWatcher>();
  readonly #books: ScheduleBooks;
  readonly #c: RunContext;

  constructor(context: RunContext, books: ScheduleBooks) {
    this.#c = context;
    this.#books = books;
  }

  /** The firer schedule firings go through (no cooldown: they have no run). */
  get firer(): RunContext['firer'] {
    return this.#c.firer;
  }

  install(automation: Automation): Installed {
    const event = automation.event;
    if (event.type !== 'OnSchedule') throw wrongFamily(automation, 'schedule');
    const key = scopeKey(event.scope);
    const watcher: ScheduleWatcher & Installed = {
      automation,
      scope: event.scope,
      trigger: event,
      book: this.#books.of(automation, event),
      period: new Map(),
      uninstall: () => {
        this.#lists.remove(key, watcher);
        if (this.#byId.get(watcher.automation.id) === watcher) this.#byId.delete(watcher.automation.id);
      },
    };
    this.#lists.add(key, watcher);
    this.#byId.set(automation.id, watcher);
    return watcher;
  }

  /** Installed schedules, oldest first. */
  get watchers(): readonly ScheduleWatcher[] {
    return [...this.#byId.values()].sort(byAge);
  }

  get nextDue(): number | undefined {
    if (this.#byId.size === 0) return undefined;
    let next: number | undefined;
    for (const w of this.#byId.values()) {
      const due = w.book.due;
      if (due !== undefined && (next === undefined || due < next)) next = due;
    }
    return next;
  }

  handle(accepted: AcceptedEvent, _out: Firing[]): void {
    if (accepted.kind !== 'run.metrics' || this.#byId.size === 0) return;
    const data = accepted.data;
    const watchers = this.#lists.merged(runPlaceKeys(data.entity, data.project));
    if (watchers.length === 0) return;
    const run = this.#c.runs.identify(data, accepted.time);
    const key = `${data.entity}\u0000${data.project}\u0000${data.runId}`;
    for (const w of watchers) {
      w.book.arm(this.#books.now());
      let p = w.period.get(key);
      if (p === undefined) {
        if (w.period.size >= MAX_SUMMARY_RUNS) dropOldest(w.period);
        p = {
          entity: data.entity,
          project: data.project,
          runId: data.runId,
          runName: undefined,
          user: undefined,
          lastTime: accepted.time,
          metrics: new Map(),
        };
        w.period.set(key, p);
      }
      p.runName = run.runName;
      p.user = run.user;
      if (accepted.time > p.lastTime) p.lastTime = accepted.time;
      for (const name of w.trigger.metrics) {
        const v = data.metrics[name];
        // Non-finite values stay out of summaries, as out of windows (§3): JSON cannot carry them.
        if (typeof v !== 'number' || !Number.isFinite(v)) continue;
        const m = p.metrics.get(name);
        if (m === undefined) p.metrics.set(name, { last: v, min: v, max: v });
        else {
          m.last = v;
          if (v < m.min) m.min = v;
          if (v > m.max) m.max = v;
        }
      }
    }
  }

  /** The open period of one schedule, with each run's state now, emptied for the next period. */
  take(id: string): TakenRun[] {
    const w = this.#byId.get(id);
    if (w === undefined) return [];
    const out = [...w.period.values()].map((p) => {
      const state = this.#c.runs.get(p.entity, p.project, p.runId)?.state;
      return state === undefined ? p : { ...p, state };
    });
    w.period.clear();
    return out;
  }

  save(): SavedPeriodRun[] {
    const out: SavedPeriodRun[] = [];
    for (const w of this.#byId.values())
      for (const p of w.period.values())
        out.push({
          automationId: w.automation.id,
          entity: p.entity,
          project: p.project,
          runId: p.runId,
          ...(p.runName !== undefined && { runName: p.runName }),
          ...(p.user !== undefined && { user: p.user }),
          lastTime: p.lastTime,
          metrics: [...p.metrics].map(([name, m]) => [name, m.last, m.min, m.max]),
        });
    return out;
  }

  load(saved: readonly SavedPeriodRun[]): void {
    for (const s of saved) {
      const w = this.#byId.get(s.automationId);
      if (w === undefined) continue;
      w.period.set(`${s.entity}\u0000${s.project}\u0000${s.runId}`, {
        entity: s.entity,
        project: s.project,
        runId: s.runId,
        runName: s.runName,
        user: s.user,
        lastTime: s.lastTime,
        metrics: new Map(s.metrics.map(([name, last, min, max]) => [name, { last, min, max }])),
      });
    }
  }

  /** Put back saved books of the schedules installed now. */
  loadBooks(saved: readonly SavedSchedule[]): void {
    for (const [id, previous, due] of saved) {
      const w = this.#byId.get(id);
      if (w === undefined) continue;
      w.book.previous = previous;
      w.book.due = due ?? undefined;
    }
  }

  saveBooks(): SavedSchedule[] {
    return [...this.#byId.values()].map((w) => [w.automation.id, w.book.previous, w.book.due ?? null]);
  }
}

/** Past the bound, the run whose last row is oldest leaves the period: a scan, only when a new run comes in full. */
function dropOldest(period: Map<string, PeriodRun>): void {
  let oldest: [string, PeriodRun] | undefined;
  for (const entry of period)
    if (oldest === undefined || entry[1].lastTime < oldest[1].lastTime) oldest = entry;
  if (oldest !== undefined) period.delete(oldest[0]);
}
