import type { Firing } from '../core/firing.js';
import type { IngestResult, IngestStatus } from '../core/ingest-result.js';
import type { Outcome } from '../core/partitions.js';
import { messageOf } from '../errors/error-message.js';
import { issue } from '../errors/issue.js';
import type { EngineParts } from './compose-engine.js';
import { eachElement, forEachEvent, isPlainArray } from './intake.js';
import { type Gathered, ingestResult } from './outcomes.js';

/**
 * Batches of at least this many events are applied grouped by run. In smaller ones a run seldom has enough rows
 * to pay for staging them: 2,000-row batches over 1,000 live runs ran 12 % slower grouped (bench/memory.ts, 10⁶ runs).
 */
const GROUPED_MIN = 16_384;
/** Events applied grouped at once: they are held until their segment is applied. */
const SEGMENT = 65_536;

/** A plain array long enough to group (a Proxy or a subclass is read one event at a time, as before). */
const groupable = (events: unknown): events is readonly unknown[] =>
  isPlainArray(events) && events.length >= GROUPED_MIN;

/**
 * Events into the core and firings out to the streams and delivery: one event or a batch, with or without an
 * outcome. Without one (`ingest`) nothing is gathered and nothing is built: that is the hot path.
 */
export class EventFeed {
  readonly #parts: EngineParts;

  constructor(parts: EngineParts) {
    this.#parts = parts;
  }

  ingest(event: unknown): readonly Firing[] {
    // Ingested from a listener while `apply` gathers another event's outcome, it is not that event's: its issues
    // and held-back matches are gathered nowhere, as for any ingested event.
    const outcomes = this.#parts.outcomes;
    const outer = outcomes.gatherInto(undefined);
    let firings: readonly Firing[];
    try {
      firings = this.#parts.core.process(event);
    } finally {
      outcomes.gatherInto(outer);
    }
    this.#emitAll(firings, undefined);
    return firings;
  }

  ingestBatch(events: unknown): readonly Firing[] {
    const all: Firing[] = [];
    const core = this.#parts.core;
    // As `ingest`: nothing of it joins the outcome of an event being applied.
    const outcomes = this.#parts.outcomes;
    const outer = outcomes.gatherInto(undefined);
    try {
      if (groupable(events) && core.groups) this.#ingestGrouped(events, all);
      else
        forEachEvent(
          events,
          (event) => this.#emitAll(core.process(event), all),
          (refused) => core.refuse(refused),
          (error) => this.#failedBatch(error),
        );
    } finally {
      outcomes.gatherInto(outer);
    }
    return all;
  }

  /**
   * A large array, a segment at a time, each applied grouped by run (`processGrouped`): its issues and firings
   * come out in event order once the segment is applied. The length is read again after each segment, as the
   * one-at-a-time loop reads it after each event.
   */
  #ingestGrouped(events: readonly unknown[], all: Firing[]): void {
    const core = this.#parts.core;
    const emit = (firings: readonly Firing[]) => this.#emitAll(firings, all);
    try {
      for (let start = 0; start < events.length; start += SEGMENT) {
        const end = Math.min(events.length, start + SEGMENT);
        // Listeners of the last segment may have changed the automations: another trigger may now see the rows.
        if (core.groups) core.processGrouped(events, start, end, emit);
        else
          eachElement(
            events,
            start,
            end,
            (event) => this.#emitAll(core.process(event), all),
            (refused) => core.refuse(refused),
          );
      }
    } finally {
      core.endGrouped();
    }
    this.#parts.ticker.rearm();
  }

  apply(event: unknown): IngestResult {
    const core = this.#parts.core;
    return this.#applyOne(() => core.offer(event));
  }

  applyBatch(events: unknown): readonly IngestResult[] {
    const results: IngestResult[] = [];
    const core = this.#parts.core;
    if (groupable(events) && core.groups) {
      this.#applyGrouped(events, results);
      return results;
    }
    forEachEvent(
      events,
      (event) => results.push(this.#applyOne(() => core.offer(event))),
      (refused) => results.push(this.#applyOne(() => core.refuse(refused))),
      (error) => this.#failedBatch(error),
    );
    return results;
  }

  /** Emit each firing; `into` collects them for a batch. */
  #emitAll(firings: readonly Firing[], into: Firing[] | undefined): void {
    const { streams, outbox, ticker } = this.#parts;
    // Each event can bring a stall's or a schedule's time forward: a peek at each partition, nothing allocated.
    ticker.rearm();
    for (let i = 0; i < firings.length; i++) {
      const firing = firings[i] as Firing;
      into?.push(firing);
      streams.fired(firing);
      outbox.deliver(firing);
    }
  }

  /**
   * `applyBatch` of a large array, grouped as `ingestBatch` groups it: each event's outcome is gathered as the
   * segment's deferral hands on, in event order, what the event reported, held back and fired.
   */
  #applyGrouped(events: readonly unknown[], results: IngestResult[]): void {
    const { core, outcomes } = this.#parts;
    try {
      for (let start = 0; start < events.length; start += SEGMENT) {
        const end = Math.min(events.length, start + SEGMENT);
        if (!core.groups) {
          eachElement(
            events,
            start,
            end,
            (event) => results.push(this.#applyOne(() => core.offer(event))),
            (refused) => results.push(this.#applyOne(() => core.refuse(refused))),
          );
          continue;
        }
        const statuses: IngestStatus[] = new Array(end - start);
        const gathered: EventOutcome[] = [];
        let current: EventOutcome = { issues: [], suppressed: [], firings: [] };
        const enter = (row: number): void => {
          current = gathered[row - start] ??= { issues: [], suppressed: [], firings: [] };
          outcomes.gatherInto(current);
        };
        const emit = (firings: readonly Firing[]): void => {
          current.firings.push(...firings);
          this.#emitAll(firings, undefined);
        };
        // Open while the segment is applied, so a match the cooldown holds back is built as `apply` builds it.
        const outer = outcomes.gatherInto(current);
        try {
          core.processGrouped(events, start, end, emit, { statuses, enter });
        } finally {
          outcomes.gatherInto(outer);
        }
        for (let k = 0; k < end - start; k++) {
          const g = gathered[k];
          const firings = g !== undefined && g.firings.length > 0 ? g.firings : NO_FIRINGS;
          results.push(ingestResult(statuses[k] as IngestStatus, g, firings));
        }
      }
    } finally {
      core.endGrouped();
    }
    this.#parts.ticker.rearm();
  }

  /** The outcome of one event, then its firings emitted: a listener's failure is not the event's issue. */
  #applyOne(apply: () => Outcome): IngestResult {
    const result = this.#parts.outcomes.of(apply);
    this.#emitAll(result.firings, undefined);
    return result;
  }

  #failedBatch(error: unknown): void {
    this.#parts.streams.report(
      issue('source_error', [], `the batch's iterator failed: ${messageOf(error)}`, error),
    );
  }
}

/** What a grouped `applyBatch` gathers for one event. */
type EventOutcome = Gathered & { readonly firings: Firing[] };

const NO_FIRINGS: readonly Firing[] = Object.freeze([]);
