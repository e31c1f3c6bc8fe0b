import type { Clock } from '../clock/clock.js';
import { messageOf } from '../errors/error-message.js';
import { type Issue, issue } from '../errors/issue.js';
import { fastRunMetrics } from '../events/fast-run-metrics.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../events/input-limits.js';
import { type AcceptedEvent, type ParseResult, parseEvent } from '../events/parse-event.js';

/** An accepted event is an object, never an array: so an array answer is the issues. */
export const isIssues = (answer: AcceptedEvent | Issue[]): answer is Issue[] => Array.isArray(answer);

export const internalIssue = (error: unknown, step: string): Issue =>
  issue('internal_error', [], `an internal step failed while ${step}: ${messageOf(error)}`, error);

/**
 * Validates each event once, before it is routed to a partition: the fast path for the usual run.metrics row,
 * the general parser for anything else (or custom limits), then the check on time. Reads the event and changes
 * nothing; never throws.
 */
export class EventIntake {
  readonly #now: () => number;
  readonly #limits: InputLimits;
  readonly #fast: boolean;

  constructor(clock: Clock, limits?: Partial<InputLimits>) {
    this.#now = () => clock.now();
    this.#limits = { ...DEFAULT_INPUT_LIMITS, ...limits };
    // The fast path keeps the default bounds by construction; the time check is made for both paths.
    this.#fast = Object.entries(DEFAULT_INPUT_LIMITS).every(
      ([k, v]) => k === 'maxFutureMs' || this.#limits[k as keyof InputLimits] >= v,
    );
  }

  parse(input: unknown): ParseResult {
    const accepted = this.accept(input);
    return isIssues(accepted) ? { ok: false, issues: accepted } : { ok: true, value: accepted };
  }

  /** As `parse`, with no result object around the usual answer: the accepted event, or the issues that refuse it. */
  accept(input: unknown): AcceptedEvent | Issue[] {
    try {
      const fast = this.#fast ? fastRunMetrics(input, this.#now) : undefined;
      if (fast !== undefined) {
        const ahead = this.#ahead(fast);
        return ahead === undefined ? fast : [ahead];
      }
      const parsed = parseEvent(input, this.#now, this.#limits);
      if (!parsed.ok) return parsed.issues;
      const ahead = this.#ahead(parsed.value);
      return ahead === undefined ? parsed.value : [ahead];
    } catch (error) {
      // A clock that throws, or a fault of ours: refused before anything changed.
      return [internalIssue(error, 'validating an event')];
    }
  }

  /**
   * Refuse an event dated further ahead of the engine clock than `maxFutureMs`: event time moves the watermark
   * that evicts runs and seen ids, so one such event would wipe them. Events without time take the clock's.
   */
  #ahead(accepted: AcceptedEvent): Issue | undefined {
    const max = this.#limits.maxFutureMs;
    if (max === Number.POSITIVE_INFINITY) return undefined;
    const now = this.#now();
    if (accepted.time <= now + max) return undefined;
    const ahead = accepted.time - now;
    const message = `the event's time is ${ahead} ms ahead of the engine clock; at most ${max} ms (maxFutureMs)`;
    const { id: eventId, source } = accepted;
    return { ...issue('out_of_range', ['time'], message, accepted.time), eventId, source };
  }
}
