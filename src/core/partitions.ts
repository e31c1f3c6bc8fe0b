import type { Clock } from '../clock/clock.js';
import { readsAsData } from '../definitions/accessors.js';
import { type Issue, issue } from '../errors/issue.js';
import type { InputLimits } from '../events/input-limits.js';
import type { AcceptedEvent } from '../events/parse-event.js';
import { byAge } from '../routing/age-order.js';
import { CountBooks } from '../state/count-book.js';
import { type Counters, newCounters } from '../state/counters.js';
import type { PartitionState } from '../state/partition-state.js';
import { ScheduleBooks } from '../state/schedule-book.js';
import { Deferral } from './deferral.js';
import type { DefinitionChange } from './definition-change.js';
import { EventIntake, isIssues } from './event-intake.js';
import type { Firing } from './firing.js';
import type { IngestStatus } from './ingest-result.js';
import { Partition, type PartitionOptions } from './partition.js';
import { fnv1a, keyOf } from './partition-key.js';
import { repartition } from './repartition.js';
import type { TimedFiring } from './timed-firing.js';

export interface PartitionsOptions extends PartitionOptions {
  /** For events with no `time`, and the check on events from the future. */
  readonly clock: Clock;
  readonly limits?: Partial<InputLimits>;
  /** How many partitions: each event goes to `partitionOf(partitionKey(event), count)`. @default 1 */
  readonly count?: number;
}

/** What became of one event, as the core sees it (its issues went to `report`). */
export type Outcome = { readonly status: IngestStatus; readonly firings: readonly Firing[] };

/**
 * What a grouped batch says of each event when outcomes are asked for (`applyBatch`): its status, at `row - from`
 * of `statuses`, as it is staged; and `enter(row)` before each thing it reported, held back or fired is handed on.
 */
export type GroupedOutcomes = { readonly statuses: IngestStatus[]; readonly enter: (row: number) => void };

const NONE: readonly Firing[] = Object.freeze([]);

/** An accepted event without `time` (read once accepted: its properties are plain data) takes the clock's. */
const timeless = (input: unknown): boolean => {
  const time = (input as Record<string, unknown>)['time'];
  return time === undefined || time === null;
};

/** The issue of an element of a batch that is an accessor, so not read. */
export const unreadable = (): Issue =>
  issue('invalid_type', [], 'a getter or setter is not an event', undefined);
const REJECTED: Outcome = Object.freeze({ status: 'rejected', firings: NONE });
const DUPLICATE: Outcome = Object.freeze({ status: 'duplicate', firings: NONE });

/**
 * The runtime: one intake that validates each event once, and the partitions it routes accepted events to.
 * Every definition change goes to every partition, in order.
 */
export class Partitions {
  readonly #intake: EventIntake;
  readonly #report: (issue: Issue) => void;
  readonly #list: readonly Partition[];
  readonly #deferral: Deferral;

  constructor(options: PartitionsOptions) {
    this.#intake = new EventIntake(options.clock, options.limits);
    this.#report = options.report;
    const deferral = options.deferral ?? new Deferral();
    this.#deferral = deferral;
    const of = options.count ?? 1;
    // Count triggers span the runs of a project, which live in many partitions: their groups are shared.
    const countBooks = options.countBooks ?? new CountBooks();
    // Schedules run on the engine clock, once per engine, with the runs every partition saw.
    const scheduleBooks = new ScheduleBooks(() => options.clock.now());
    this.#list = Array.from(
      { length: of },
      (_, partition) => new Partition({ ...options, partition, of, countBooks, scheduleBooks, deferral }),
    );
  }

  get list(): readonly Partition[] {
    return this.#list;
  }

  /** Validate, route and apply one event; returns what it fired. Never throws. The hot path. */
  process(input: unknown): readonly Firing[] {
    const accepted = this.#intake.accept(input);
    if (isIssues(accepted)) {
      this.#rejected(accepted);
      return NONE;
    }
    return this.#partitionOf(accepted).apply(accepted) ?? NONE;
  }

  /** Whether `processGrouped` may be used now: one partition, whose run.metrics rows only metric triggers see. */
  get groups(): boolean {
    return this.#list.length === 1 && (this.#list[0] as Partition).groups;
  }

  /**
   * As `process` for each of `inputs[from..to)` in order, but with the run.metrics rows' values applied a run's
   * rows together (each run's in order): a run's windows then stay in cache for its rows. What the inputs
   * report, hold back and fire is handed on once all are applied, in input order, each input's firings to `emit`:
   * the same as one at a time, but for when listeners see it. An accessor element is refused unread.
   */
  processGrouped(
    inputs: readonly unknown[],
    from: number,
    to: number,
    emit: (firings: readonly Firing[]) => void,
    outcomes?: GroupedOutcomes,
  ): void {
    const p = this.#list[0] as Partition;
    const statuses = outcomes?.statuses;
    const deferral = this.#deferral;
    // Read again only for a stale step or a match (no code of the caller's runs in between): accepted, the same.
    const eventOf = (row: number) => this.#intake.accept(inputs[row]) as AcceptedEvent;
    deferral.begin();
    try {
      for (let i = from; i < to; i++) {
        deferral.row = i;
        const readable = readsAsData(inputs, i);
        const input = readable ? inputs[i] : undefined;
        const accepted = readable ? this.#intake.accept(input) : [unreadable()];
        let status: IngestStatus;
        if (isIssues(accepted)) {
          this.#rejected(accepted);
          status = 'rejected';
        } else if (accepted.kind === 'run.metrics' && !timeless(input))
          status = p.stage(accepted, i, eventOf) ? 'accepted' : 'duplicate';
        else {
          // Any other event sees every row before it applied; so does a row timed by the clock, which would not
          // be timed the same when read again.
          p.staged.flush();
          const firings = p.apply(accepted);
          if (firings !== undefined && firings.length > 0) deferral.fired(firings);
          status = firings === undefined ? 'duplicate' : 'accepted';
        }
        if (statuses !== undefined) statuses[i - from] = status;
      }
      p.staged.flush();
    } finally {
      deferral.end(emit, outcomes?.enter);
    }
  }

  /** After the last `processGrouped` of a batch: the staging it grew to is given back. */
  endGrouped(): void {
    for (const p of this.#list) p.staged.release();
  }

  /** As `process`, saying what became of the event. */
  offer(input: unknown): Outcome {
    const accepted = this.#intake.accept(input);
    if (isIssues(accepted)) {
      this.#rejected(accepted);
      return REJECTED;
    }
    const firings = this.#partitionOf(accepted).apply(accepted);
    return firings === undefined ? DUPLICATE : { status: 'accepted', firings };
  }

  /** Count and report an input refused before it could be read as an event (say, an accessor in a batch). */
  refuse(refused: Issue): Outcome {
    this.#rejected([refused]);
    return REJECTED;
  }

  /** When the engine clock must next call `due`: the earliest stall deadline of any partition. */
  nextDue(): number | undefined {
    let next: number | undefined;
    const list = this.#list;
    // Asked after every event: an indexed loop, nothing allocated.
    for (let i = 0; i < list.length; i++) {
      const due = (list[i] as Partition).timed.nextDue;
      if (due !== undefined && (next === undefined || due < next)) next = due;
    }
    return next;
  }

  /**
   * What the engine clock fires at `now`: every partition's due stalls, by time, then automation age, then run
   * key, so one partition and many give the same firings in the same order.
   */
  due(now: number): readonly Firing[] {
    const timed: TimedFiring[] = [];
    const list = this.#list;
    const take = (id: string) => list.flatMap((p) => p.timed.schedules.take(id));
    for (const p of list) p.timed.due(now, timed, take);
    if (timed.length === 0) return NONE;
    timed.sort(
      (a, b) => a.firing.time - b.firing.time || byAge(a, b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
    return timed.map((t) => t.firing);
  }

  applyDefinition(change: DefinitionChange): void {
    for (const p of this.#list) p.applyDefinition(change);
  }

  sweep(): number {
    let released = 0;
    for (const p of this.#list) released += p.sweep();
    return released;
  }

  /** Every partition's counters, added up. */
  get counters(): Counters {
    const sum = newCounters();
    for (const p of this.#list)
      for (const key of Object.keys(sum) as (keyof Counters)[]) sum[key] += p.counters[key];
    return sum;
  }

  get perAutomation(): ReadonlyMap<string, { readonly firings: number; readonly suppressed: number }> {
    if (this.#list.length === 1) return (this.#list[0] as Partition).perAutomation;
    const sum = new Map<string, { firings: number; suppressed: number }>();
    for (const p of this.#list)
      for (const [id, c] of p.perAutomation) {
        const s = sum.get(id) ?? { firings: 0, suppressed: 0 };
        s.firings += c.firings;
        s.suppressed += c.suppressed;
        sum.set(id, s);
      }
    return sum;
  }

  /** The sum of a figure over the partitions. */
  total(figure: (p: Partition) => number): number {
    let n = 0;
    for (const p of this.#list) n += figure(p);
    return n;
  }

  save(): PartitionState[] {
    return this.#list.map((p) => p.save());
  }

  /** Continue from saved partitions, re-partitioned by key if they were laid out for another count. */
  load(states: readonly PartitionState[]): void {
    const laid = repartition(states, this.#list.length);
    for (const [i, p] of this.#list.entries()) p.load(laid[i] as PartitionState);
  }

  /** The partition of an event's key (SEMANTICS §9); with one partition, no key is built. */
  #partitionOf(accepted: AcceptedEvent): Partition {
    const list = this.#list;
    return (list.length === 1 ? list[0] : list[fnv1a(keyOf(accepted)) % list.length]) as Partition;
  }

  /** Refused events have no key: partition 0 counts them. */
  #rejected(issues: readonly Issue[]): void {
    (this.#list[0] as Partition).countRejected();
    for (const i of issues) this.#report(i);
  }
}
