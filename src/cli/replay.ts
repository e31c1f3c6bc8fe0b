import { systemClock } from '../clock/system-clock.js';
import { fromJsonParse, rfc3339Ms } from '../events/fast-run-metrics.js';
import type { IngestResult } from '../index.js';
import { VirtualClock } from '../testing/index.js';
import type { EventSource, ReadError } from './read-events.js';
import { readEvents } from './read-events.js';
import type { ReadItem } from './read-item.js';
import { countStatuses, createReplayEngine, saveAutomations, settle } from './replay-engine.js';
import { ReplayTally } from './replay-tally.js';
import type { Deliveries, ReplayOptions, ReplayResult } from './replay-types.js';

function timeOf(event: unknown): number | undefined {
  const time = (event as { readonly time?: unknown } | null)?.time;
  if (typeof time === 'number') return time;
  // The engine's own reading of an RFC 3339 time keeps its last answer: the engine then reads this one for free.
  if (typeof time === 'string') return rfc3339Ms(time) ?? Date.parse(time);
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Replay events through automations on event time: each event moves a virtual clock to its own time, so
 * cooldowns, windows and delivery timing behave as they would have live. Actions are recorded, not sent,
 * unless `deliver` gives real integrations. Reads the source as a stream; each event's outcome
 * (`engine.apply`) says whether it was accepted, rejected or a duplicate, and what it fired and held back.
 */
export async function replay(open: () => EventSource, options: ReplayOptions): Promise<ReplayResult> {
  const virtual = options.deliver === undefined ? new VirtualClock(options.from ?? 0) : undefined;
  const { engine, sinks } = createReplayEngine(options, virtual ?? systemClock);
  const automations = saveAutomations(engine, options.automations);
  for (const o of options.observers ?? []) o.start?.(automations);
  const tally = new ReplayTally(automations, options);
  let lastTime: number | undefined;
  let delivering = false;
  // Firings made while the clock moves to an event's time (stalls) come from no event: tallied as they come.
  let applying = false;
  engine.on('fired', (f) => {
    if (applying) return;
    tally.timed(f);
    if (f.action.type !== 'DoNothing') delivering = true;
  });

  const outOfRange = (time: number | undefined): boolean =>
    time !== undefined &&
    ((options.from !== undefined && time < options.from) || (options.to !== undefined && time >= options.to));

  const apply = (event: unknown, time: number | undefined, parsed: boolean): void => {
    applying = true;
    let result: IngestResult;
    try {
      if (parsed) fromJsonParse(event as object);
      result = engine.apply(event);
    } finally {
      applying = false;
    }
    if (tally.outcome(event, result, time ?? virtual?.now())) delivering = true;
  };

  // Synchronous unless deliveries must finish before time moves: no promise is made for most events.
  // `input` is what the reader's JSON.parse made, and nothing has touched it: the engine need not check it for
  // accessors (`fromJsonParse`). An event without a time is applied as a copy with one, which it checks.
  const ingest = (input: unknown): Promise<void> | undefined => {
    const own = timeOf(input);
    // An event without a time happened when the one before it did.
    const time = own ?? lastTime;
    const event = own === undefined && lastTime !== undefined && isObject(input) ? { ...input, time } : input;
    if (own !== undefined && Number.isFinite(own)) lastTime = own;
    if (outOfRange(time)) {
      tally.counts.outOfRange += 1;
      return undefined;
    }
    if (virtual !== undefined && time !== undefined && time > virtual.now()) {
      // Deliveries started by earlier events finish first, or moving time would time them out.
      if (delivering)
        return engine.idle().then(() => {
          delivering = false;
          virtual.set(time);
          apply(event, time, event === input && isObject(input));
        });
      virtual.set(time);
    }
    apply(event, time, event === input && isObject(input));
    return undefined;
  };

  // Opened only now, once the automations are known to be good.
  const source = open();
  const progress = options.progress?.(source);
  let readError: ReadError | undefined;
  try {
    readError = await readAll(source, tally, ingest, () =>
      progress?.update(source.bytesRead(), tally.counts.read, source.textBytes()),
    );
  } finally {
    progress?.finish();
    source.stream.destroy();
  }

  if (options.deliver !== undefined) await settle(engine);
  else await engine.idle();
  const stats = engine.stats();
  const deliveries: Deliveries =
    options.deliver === undefined
      ? {
          mode: 'recorded',
          byIntegration: Object.fromEntries([...sinks].map(([name, sink]) => [name, sink.count])),
        }
      : { mode: 'sent', byStatus: countStatuses(engine) };
  await engine.close();
  return {
    source: source.name,
    automations,
    firings: tally.firings,
    fired: tally.fired,
    tallies: tally.tallies,
    stats,
    counts: tally.counts,
    runs: tally.runs.result,
    problems: tally.problems,
    ...(tally.first !== undefined && { first: tally.first }),
    ...(tally.last !== undefined && { last: tally.last }),
    deliveries,
    ...(readError !== undefined && { readError }),
  };
}

/**
 * Read every item of the source, in batches, into `ingest`. A stream that breaks after some events (a cut .gz)
 * ends the read with its error, for the summary; one that gave none is bad input, and throws.
 */
async function readAll(
  source: EventSource,
  tally: ReplayTally,
  ingest: (event: unknown) => Promise<void> | undefined,
  progressed: () => void,
): Promise<ReadError | undefined> {
  const batches = readEvents(source.stream);
  for (;;) {
    let next: IteratorResult<ReadItem[]>;
    try {
      next = await batches.next();
    } catch (error) {
      if (tally.counts.read === 0) throw error;
      const message = (error as Error).message;
      return { message, offset: source.bytesRead(), line: tally.line, gzip: source.gzip };
    }
    if (next.done === true) return undefined;
    for (const item of next.value) {
      tally.line = item.line;
      tally.counts.read += 1;
      if (item.ok) {
        const waiting = ingest(item.value);
        if (waiting !== undefined) await waiting;
      } else {
        tally.counts.notJson += 1;
        tally.problem('not_json', item.message);
      }
    }
    progressed();
  }
}
