import type { EventSource, ReadError } from './read-events.js';
import { readEvents } from './read-events.js';
import type { ReadItem } from './read-item.js';
import { ReplayRun } from './replay-run.js';
import type { ReplayTally } from './replay-tally.js';
import type { ReplayOptions, ReplayResult } from './replay-types.js';

/**
 * Replay events through automations on event time (ReplayRun), reading the source as a stream, on this thread.
 * Actions are recorded, not sent, unless `deliver` gives real integrations.
 */
export async function replay(open: () => EventSource, options: ReplayOptions): Promise<ReplayResult> {
  const run = new ReplayRun(options);
  const { tally } = run;
  // Opened only now, once the automations are known to be good.
  const source = open();
  const progress = options.progress?.(source);
  let readError: ReadError | undefined;
  try {
    readError = await readAll(
      source,
      tally,
      (event) => run.ingest(event, true),
      () => progress?.update(source.bytesRead(), tally.counts.read, source.textBytes()),
    );
  } finally {
    progress?.finish();
    source.stream.destroy();
  }
  const { stats, deliveries } = await run.finish();
  return {
    source: source.name,
    automations: run.automations,
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
