import type { AcceptedEvent } from '../events/parse-event.js';
import type { Automation } from '../schema/automation.js';
import type { Counters } from '../state/counters.js';
import type { RunRecord } from '../state/run-record.js';
import { type Firing, firingId } from './firing.js';

type Extras = Omit<Firing, 'id' | 'automationId' | 'automationName' | 'event' | 'time' | 'action' | 'runId'>;
export type OnSuppressed = (
  automation: Automation,
  run: RunRecord,
  accepted: AcceptedEvent,
  extras: Extras,
) => void;

/**
 * Makes firings, and keeps the run cooldown: at most one firing per automation per run within its cooldown,
 * on event time. Artifact and foreign events have no run and are not deduplicated.
 */
const always = (): boolean => true;

export class Firer {
  readonly #counters: Counters;
  readonly #perAutomation = new Map<string, { firings: number; suppressed: number }>();
  readonly #onSuppressed: OnSuppressed | undefined;
  readonly #wantsSuppressed: () => boolean;

  /**
   * Without `onSuppressed`, or while `wantsSuppressed` says nobody listens, a held-back match needs no evidence,
   * so `holdsQuietly` can skip building it.
   */
  constructor(counters: Counters, onSuppressed?: OnSuppressed, wantsSuppressed: () => boolean = always) {
    this.#counters = counters;
    this.#onSuppressed = onSuppressed;
    this.#wantsSuppressed = wantsSuppressed;
  }

  get perAutomation(): ReadonlyMap<string, { readonly firings: number; readonly suppressed: number }> {
    return this.#perAutomation;
  }

  loadCounts(
    saved: readonly (readonly [string, { readonly firings: number; readonly suppressed: number }])[],
  ): void {
    for (const [id, c] of saved)
      this.#perAutomation.set(id, { firings: c.firings, suppressed: c.suppressed });
  }

  /**
   * True, and counted as suppressed, when the cooldown holds this match back and nobody listens for
   * suppressed matches: the caller then builds nothing. False when `fire` must decide.
   */
  holdsQuietly(automation: Automation, run: RunRecord, time: number): boolean {
    const lastFired = run.lastFired;
    if (lastFired === undefined || !cooling(automation, lastFired, time)) return false;
    if (this.#onSuppressed !== undefined && this.#wantsSuppressed()) return false;
    this.#suppressed(automation);
    return true;
  }

  /** `group` is where the cooldown is kept when the trigger keeps it per group of runs; else the run's own. */
  fire(
    automation: Automation,
    accepted: AcceptedEvent,
    run: RunRecord | undefined,
    extras: Extras,
    group?: Map<string, number>,
  ): Firing | undefined {
    const time = accepted.time;
    if (run !== undefined && automation.cooldownMs > 0) {
      const lastFired = group ?? run.lastFired;
      if (lastFired !== undefined && cooling(automation, lastFired, time)) {
        this.#suppressed(automation);
        this.#onSuppressed?.(automation, run, accepted, extras);
        return undefined;
      }
      (group ?? run.firedTimes()).set(automation.id, time);
    }
    this.#counters.firings += 1;
    this.#count(automation.id).firings += 1;
    return Object.freeze({
      id: firingId(automation.id, accepted.source, accepted.id),
      automationId: automation.id,
      automationName: automation.name,
      event: accepted.event,
      ...(run !== undefined && { runId: run.runId }),
      time,
      ...extras,
      action: automation.action,
    });
  }

  #suppressed(automation: Automation): void {
    this.#counters.suppressed += 1;
    this.#count(automation.id).suppressed += 1;
  }

  #count(id: string): { firings: number; suppressed: number } {
    let c = this.#perAutomation.get(id);
    if (c === undefined) {
      c = { firings: 0, suppressed: 0 };
      this.#perAutomation.set(id, c);
    }
    return c;
  }
}

/** True when the automation fired for this run (or group) less than its cooldown before `time` (event time). */
function cooling(automation: Automation, lastFired: ReadonlyMap<string, number>, time: number): boolean {
  if (automation.cooldownMs <= 0) return false;
  const last = lastFired.get(automation.id);
  return last !== undefined && time < last + automation.cooldownMs;
}
