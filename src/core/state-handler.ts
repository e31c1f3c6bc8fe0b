import { issue } from '../errors/issue.js';
import type { AcceptedEvent } from '../events/parse-event.js';
import { compileRunFilter } from '../filters/run-filter.js';
import { StateIndex, type StateWatcher } from '../routing/state-index.js';
import type { Automation } from '../schema/automation.js';
import type { RunState } from '../schema/run-events.js';
import { CountBooks, type SavedCountGroup } from '../state/count-book.js';
import type { RunRecord } from '../state/run-record.js';
import type { Firing } from './firing.js';
import { type Handler, type Installed, wrongFamily } from './installed.js';
import type { RunContext } from './run-context.js';

/** `crashed` counts as `failed`: a crash after a failure is no change, and a failure trigger sees crashes. */
function normalise(state: RunState): RunState {
  return state === 'crashed' ? 'failed' : state;
}

/**
 * Run state automations (§4): fire when a run changes to one of their states. The first state seen is a
 * change; a repeat is not; a state event older than the last applied one (by sequence when both have one,
 * else by event time) is stale, so a late `running` never overwrites `finished`.
 */
export class StateHandler implements Handler {
  readonly #index = new StateIndex();
  readonly #c: RunContext;
  readonly #books: CountBooks;

  /** `books` holds count triggers' groups; the partitions of one engine share it. */
  constructor(context: RunContext, books: CountBooks = new CountBooks()) {
    this.#c = context;
    this.#books = books;
  }

  /** Every count group, for the snapshot. */
  saveCounts(): SavedCountGroup[] {
    return [...this.#index.counting()].flatMap((w) => w.count?.book.save(w.automation.id) ?? []);
  }

  /** Put back saved count groups of the count automations installed now; others are dropped. */
  loadCounts(saved: readonly SavedCountGroup[]): void {
    for (const g of saved) this.#index.find(g.automationId)?.count?.book.load(g);
  }

  install(automation: Automation): Installed {
    const event = automation.event;
    if (event.type !== 'OnRunState') throw wrongFamily(automation, 'state');
    const index = this.#index;
    const watcher: StateWatcher & Installed = {
      automation,
      scope: event.scope,
      states: new Set(event.states),
      runFilter: compileRunFilter(event.runFilter, this.#c.patterns),
      ...(event.count !== undefined && { count: { spec: event.count, book: this.#books.of(automation) } }),
      uninstall: () => index.remove(watcher),
    };
    index.add(watcher);
    return watcher;
  }

  handle(accepted: AcceptedEvent, out: Firing[]): void {
    if (accepted.kind !== 'run.state') return;
    const data = accepted.data;
    const run = this.#c.runs.identify(data, accepted.time);
    const sequence = accepted.event.sequence;
    if (run.state !== undefined) {
      const bySequence = sequence !== undefined && run.stateSequence !== undefined;
      const stale = bySequence
        ? sequence < (run.stateSequence as number)
        : accepted.time < (run.stateTime as number);
      if (stale) {
        this.#c.counters.stale += 1;
        const what = bySequence
          ? `sequence ${sequence} is before ${run.stateSequence}`
          : `time ${accepted.time} is before ${run.stateTime}`;
        this.#c.report({
          ...issue(
            'out_of_order',
            [bySequence ? 'sequence' : 'time'],
            `stale ${data.state} for run ${data.runId}: ${what}`,
            data.state,
          ),
          eventId: accepted.id,
          source: accepted.source,
        });
        return;
      }
    }
    const from = run.state;
    const to = normalise(data.state);
    run.state = to;
    run.stateSequence = sequence;
    run.stateTime = accepted.time;
    if (from === to) return;
    // A run filter may read the state: its verdicts for this run are judged again.
    run.revision += 1;
    for (const w of this.#index.watchers(data.entity, data.project)) {
      if (!w.states.has(to) || !w.runFilter(run)) continue;
      const transition = { ...(from !== undefined && { from }), to };
      const firing =
        w.count === undefined
          ? this.#c.firer.fire(w.automation, accepted, run, { transition })
          : this.#counted(w.count, w, accepted, run, transition);
      if (firing !== undefined) out.push(firing);
    }
  }

  /** A count trigger: count the change in its project's (or entity's) group; fire when enough runs are in. */
  #counted(
    count: NonNullable<StateWatcher['count']>,
    w: StateWatcher,
    accepted: AcceptedEvent,
    run: RunRecord,
    transition: NonNullable<Firing['transition']>,
  ): Firing | undefined {
    const { per, atLeast, withinMs } = count.spec;
    const key = per === 'entity' ? run.entity : `${run.entity}\u0000${run.project}`;
    const group = count.book.group(key);
    const change = {
      runId: run.runId,
      ...(run.runName !== undefined && { runName: run.runName }),
      state: transition.to,
      time: accepted.time,
    };
    const runs = group.record(change, withinMs, atLeast);
    if (runs === undefined) return undefined;
    const evidence = {
      per,
      entity: run.entity,
      ...(per === 'project' && { project: run.project }),
      atLeast,
      withinMs,
      runs,
    };
    return this.#c.firer.fire(w.automation, accepted, run, { transition, count: evidence }, group.lastFired);
  }
}
