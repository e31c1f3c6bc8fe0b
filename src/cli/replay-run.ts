import { systemClock } from '../clock/system-clock.js';
import { fromJsonParse, rfc3339Ms } from '../events/fast-run-metrics.js';
import type { Automation, EngineStats, IngestResult } from '../index.js';
import { VirtualClock } from '../testing/index.js';
import { countStatuses, createReplayEngine, saveAutomations, settle } from './replay-engine.js';
import { ReplayTally } from './replay-tally.js';
import type { Deliveries, ReplayOptions } from './replay-types.js';

function timeOf(event: unknown): number | undefined {
  const time = (event as { readonly time?: unknown } | null)?.time;
  if (typeof time === 'number') return time;
  // The engine's own reading of an RFC 3339 time keeps its last answer: the engine then reads this one for free.
  if (typeof time === 'string') return rfc3339Ms(time) ?? Date.parse(time);
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** An event without a time, after lines this replay did not read: the time it takes is not known here. */
export class TimeUnknown extends Error {
  constructor(readonly line: number) {
    super(`line ${line} has no time, and the line before it was replayed elsewhere`);
  }
}

/** What a replay has when its events are in: the engine's figures and the deliveries, once it is closed. */
export type ReplayEnd = { readonly stats: EngineStats; readonly deliveries: Deliveries };

/**
 * One replay's engine, on event time: each event moves a virtual clock to its own time, so cooldowns, windows
 * and delivery timing behave as they would have live. Actions are recorded, not sent, unless `deliver` gives real
 * integrations. Each event's outcome (`engine.apply`) says whether it was accepted, rejected or a duplicate, and
 * what it fired and held back: the tally counts it.
 */
export class ReplayRun {
  readonly automations: Automation[];
  readonly tally: ReplayTally;
  readonly #options: ReplayOptions;
  readonly #engine: ReturnType<typeof createReplayEngine>['engine'];
  readonly #sinks: ReturnType<typeof createReplayEngine>['sinks'];
  readonly #virtual: VirtualClock | undefined;
  #lastTime: number | undefined;
  /** Whether `#lastTime` is the time of the last timed line before this one: not so after a skipped line. */
  #timeKnown = true;
  #delivering = false;
  // Firings made while the clock moves to an event's time (stalls) come from no event: tallied as they come.
  #applying = false;

  constructor(options: ReplayOptions) {
    this.#options = options;
    this.#virtual = options.deliver === undefined ? new VirtualClock(options.from ?? 0) : undefined;
    const { engine, sinks } = createReplayEngine(options, this.#virtual ?? systemClock);
    this.#engine = engine;
    this.#sinks = sinks;
    this.automations = saveAutomations(engine, options.automations);
    for (const o of options.observers ?? []) o.start?.(this.automations);
    this.tally = new ReplayTally(this.automations, options);
    engine.on('fired', (f) => {
      if (this.#applying) return;
      this.tally.timed(f);
      if (f.action.type !== 'DoNothing') this.#delivering = true;
    });
  }

  /** A line was left to another replay unread: an event without a time after it cannot know the time it takes. */
  skipped(): void {
    this.#timeKnown = false;
  }

  /** A line read here but replayed by another replay: its time is still the one the next untimed event takes. */
  passed(input: unknown): void {
    const own = timeOf(input);
    if (own !== undefined && Number.isFinite(own)) {
      this.#lastTime = own;
      this.#timeKnown = true;
    }
  }

  /**
   * Replay one event. `parsed`: it is what the reader's JSON.parse made, untouched, so the engine need not check
   * it for accessors (`fromJsonParse`). An event without a time happened when the one before it did: it is
   * applied as a copy with that time. Synchronous unless deliveries must finish before time moves.
   */
  ingest(input: unknown, parsed: boolean): Promise<void> | undefined {
    const own = timeOf(input);
    if (own === undefined && !this.#timeKnown) throw new TimeUnknown(this.tally.line);
    const time = own ?? this.#lastTime;
    const event =
      own === undefined && this.#lastTime !== undefined && isObject(input) ? { ...input, time } : input;
    if (own !== undefined && Number.isFinite(own)) {
      this.#lastTime = own;
      this.#timeKnown = true;
    }
    if (this.#outOfRange(time)) {
      this.tally.counts.outOfRange += 1;
      return undefined;
    }
    const vouched = parsed && event === input && isObject(input);
    const virtual = this.#virtual;
    if (virtual !== undefined && time !== undefined && time > virtual.now()) {
      // Deliveries started by earlier events finish first, or moving time would time them out.
      if (this.#delivering)
        return this.#engine.idle().then(() => {
          this.#delivering = false;
          virtual.set(time);
          this.#apply(event, time, vouched);
        });
      virtual.set(time);
    }
    this.#apply(event, time, vouched);
    return undefined;
  }

  /** Let deliveries finish (or, sending for real, those due soon), then close the engine. */
  async finish(): Promise<ReplayEnd> {
    const engine = this.#engine;
    if (this.#options.deliver !== undefined) await settle(engine);
    else await engine.idle();
    const stats = engine.stats();
    const deliveries: Deliveries =
      this.#options.deliver === undefined
        ? {
            mode: 'recorded',
            byIntegration: Object.fromEntries([...this.#sinks].map(([name, sink]) => [name, sink.count])),
          }
        : { mode: 'sent', byStatus: countStatuses(engine) };
    await engine.close();
    return { stats, deliveries };
  }

  #outOfRange(time: number | undefined): boolean {
    const { from, to } = this.#options;
    return time !== undefined && ((from !== undefined && time < from) || (to !== undefined && time >= to));
  }

  #apply(event: unknown, time: number | undefined, vouched: boolean): void {
    this.#applying = true;
    let result: IngestResult;
    try {
      if (vouched) fromJsonParse(event as object);
      result = this.#engine.apply(event);
    } finally {
      this.#applying = false;
    }
    if (this.tally.outcome(event, result, time ?? this.#virtual?.now())) this.#delivering = true;
  }
}
