import type { AcceptedEvent } from '../events/parse-event.js';
import { compileRunFilter } from '../filters/run-filter.js';
import { StallIndex, type StallWatcher } from '../routing/stall-index.js';
import type { Automation } from '../schema/automation.js';
import type { CloudEvent } from '../schema/cloud-event.js';
import { DeadlineHeap } from '../state/deadline-heap.js';
import type { RunRecord, StallMark } from '../state/run-record.js';
import type { SavedStall } from '../state/saved-run.js';
import type { Firing } from './firing.js';
import { type Handler, type Installed, wrongFamily } from './installed.js';
import type { RunContext } from './run-context.js';
import type { TimedFiring } from './timed-firing.js';

/** The source of the events a stall firing carries: no producer sent them, the engine clock made them. */
export const STALL_SOURCE = 'ml-automations/stall';

const ended = (run: RunRecord): boolean =>
  run.state === 'finished' || run.state === 'failed' || run.state === 'killed';

function marksOf(run: RunRecord): Map<string, StallMark> {
  if (run.stalls === undefined) run.stalls = new Map();
  return run.stalls;
}

/**
 * Stalled runs (§4.2): each watched run's deadline (last row + forMs) sits in one heap, so a row costs
 * O(log n) and the engine clock needs one timer, for the earliest deadline. A mark out of the heap is judged:
 * it waits for the next row to arm it again.
 */
export class StallHandler implements Handler {
  readonly #index = new StallIndex();
  readonly #heap = new DeadlineHeap<StallMark>();
  readonly #c: RunContext;

  constructor(context: RunContext) {
    this.#c = context;
  }

  install(automation: Automation): Installed {
    const event = automation.event;
    if (event.type !== 'OnRunStalled') throw wrongFamily(automation, 'stall');
    const watcher: StallWatcher & Installed = {
      automation,
      scope: event.scope,
      forMs: event.forMs,
      metric: event.metric,
      runFilter: compileRunFilter(event.runFilter, this.#c.patterns),
      uninstall: () => {
        this.#index.remove(watcher);
        // Definition changes are rare: a walk of the heap, so that no dead mark keeps a run or a timer.
        this.#heap.removeWhere((m) => m.owner === watcher);
      },
    };
    this.#index.add(watcher);
    return watcher;
  }

  /** The earliest deadline armed, if any. */
  get nextDue(): number | undefined {
    return this.#heap.peek()?.deadline;
  }

  handle(accepted: AcceptedEvent, _out: Firing[]): void {
    if (this.#index.empty) return;
    if (accepted.kind === 'run.metrics') {
      const data = accepted.data;
      const watchers = this.#index.watchers(data.entity, data.project);
      if (watchers.length === 0) return;
      const run = this.#c.runs.identify(data, accepted.time);
      if (ended(run)) return;
      for (const w of watchers)
        if (w.metric === undefined || Object.hasOwn(data.metrics, w.metric))
          this.#arm(run, w, accepted.time, data.step);
    } else if (accepted.kind === 'run.state') {
      const { entity, project, runId } = accepted.data;
      const run = this.#c.runs.get(entity, project, runId);
      if (run === undefined) return;
      if (ended(run)) this.#disarm(run);
      else if (run.state === 'running')
        // A run that starts running before any row is watched from then on.
        for (const w of this.#index.watchers(entity, project))
          if (run.stalls?.get(w.automation.id)?.owner !== w)
            this.#arm(run, w, run.stateTime ?? accepted.time, undefined);
    }
  }

  /** Judge every deadline at or before `now`: each fires once (filters and cooldown allowing). */
  due(now: number, out: TimedFiring[]): void {
    const heap = this.#heap;
    for (let m = heap.peek(); m !== undefined && m.deadline <= now; m = heap.peek()) {
      heap.pop();
      const w = m.owner as StallWatcher;
      const run = m.run;
      if (!w.runFilter(run)) continue;
      const time = m.deadline;
      const key = `${run.entity}/${run.project}/${run.runId}`;
      const event: CloudEvent = {
        specversion: '1.0',
        id: `${time}:${key}`,
        source: STALL_SOURCE,
        type: 'run.stalled',
        time,
        data: {
          entity: run.entity,
          project: run.project,
          runId: run.runId,
          ...(run.runName !== undefined && { runName: run.runName }),
          ...(run.user !== undefined && { user: run.user }),
          lastTime: m.last,
          ...(m.step !== undefined && { step: m.step }),
        },
      };
      const accepted: AcceptedEvent = { kind: 'foreign', id: event.id, source: STALL_SOURCE, time, event };
      const stall = {
        forMs: w.forMs,
        ...(w.metric !== undefined && { metric: w.metric }),
        lastTime: m.last,
        ...(m.step !== undefined && { lastStep: m.step }),
        silentMs: w.forMs,
      };
      const firing = this.#c.firer.fire(w.automation, accepted, run, { stall });
      if (firing !== undefined) out.push({ firing, automation: w.automation, key });
    }
  }

  /** A run's saved marks, bound to the stall automations installed now; others are dropped. */
  load(run: RunRecord, saved: readonly SavedStall[]): void {
    for (const [id, last, step, armed] of saved) {
      const w = this.#index.find(id);
      if (w === undefined) continue;
      const m: StallMark = {
        run,
        owner: w,
        last,
        step: step ?? undefined,
        deadline: last + w.forMs,
        heapIndex: -1,
      };
      marksOf(run).set(id, m);
      if (armed) this.#heap.set(m, m.deadline);
    }
  }

  /** The marks of the automations installed now, for the snapshot. */
  saved(run: RunRecord): SavedStall[] {
    const out: SavedStall[] = [];
    for (const [id, m] of run.stalls ?? [])
      if (this.#index.find(id) === m.owner) out.push([id, m.last, m.step ?? null, m.heapIndex >= 0]);
    return out;
  }

  /** A run released: its marks leave the heap. */
  release(run: RunRecord): void {
    this.#disarm(run);
  }

  #arm(run: RunRecord, w: StallWatcher, time: number, step: number | undefined): void {
    const marks = marksOf(run);
    const id = w.automation.id;
    let m = marks.get(id);
    if (m !== undefined && m.owner !== w) {
      this.#heap.remove(m);
      m = undefined;
    }
    if (m === undefined) {
      m = { run, owner: w, last: time, step, deadline: time + w.forMs, heapIndex: -1 };
      marks.set(id, m);
    } else {
      // A late row never moves the last row back, and never re-arms a stall already judged.
      const armed = m.heapIndex >= 0;
      if (time < m.last || (time === m.last && !armed)) return;
      m.last = time;
      m.step = step;
    }
    this.#heap.set(m, time + w.forMs);
  }

  #disarm(run: RunRecord): void {
    if (run.stalls === undefined) return;
    for (const m of run.stalls.values()) this.#heap.remove(m);
    run.stalls = undefined;
  }
}
