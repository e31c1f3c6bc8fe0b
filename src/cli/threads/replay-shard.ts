import { createReadStream } from 'node:fs';
import type { EngineStats, Firing } from '../../index.js';
import { LineSplitter } from '../line-splitter.js';
import { READ_CHUNK } from '../read-events.js';
import type { ReadItem } from '../read-item.js';
import { ReplayRun, TimeUnknown } from '../replay-run.js';
import type { Deliveries, Problem, ReplayCounts, ReplayOptions } from '../replay-types.js';
import { ReportCollector, type ShareRun } from '../report/collector.js';
import type { RunCounterState } from '../run-counter.js';
import { ownerOfEvent, ownerOfLine } from './line-owner.js';

/**
 * The options a thread replays with: those of the whole replay that travel to a worker as data, and whether the
 * replay writes a report (each thread then draws its own runs, handed back in its result).
 */
export type ShardOptions = Pick<
  ReplayOptions,
  'automations' | 'from' | 'to' | 'keepFirings' | 'slimFirings' | 'problemLimit'
> & { readonly report?: boolean };

/** A thread's share of a replay: the file, and the partition (of `shards`) whose lines it replays. */
export type ShardTask = {
  readonly file: string;
  readonly shard: number;
  readonly shards: number;
  readonly options: ShardOptions;
};

/** An automation's firings in a share: first and last time, and its runs with the line of its first firing. */
export type ShardTally = {
  readonly first?: number;
  readonly last?: number;
  readonly runs: readonly (readonly [key: string, name: string, line: number])[];
};

/**
 * A share replayed: what the tally counted, with lines to merge by. Or why it stopped: the file is replayed on one
 * thread then.
 */
export type ShardResult =
  | {
      readonly done: true;
      readonly counts: ReplayCounts;
      readonly problems: readonly Problem[];
      readonly firings: readonly Firing[];
      readonly firingLines: readonly number[];
      readonly fired: number;
      readonly tallies: readonly (readonly [automationId: string, tally: ShardTally])[];
      readonly runs: RunCounterState;
      readonly first?: number;
      readonly last?: number;
      readonly stats: EngineStats;
      readonly deliveries: Deliveries;
      /** The runs its report collector drew, when the replay writes a report. */
      readonly report?: readonly ShareRun[];
    }
  | { readonly done: false; readonly why: string };

/** What a thread posts: how far it has read, then its share's result (or the error that ended it). */
export type ShardMessage =
  | { readonly kind: 'progress'; readonly bytes: number; readonly lines: number }
  | { readonly kind: 'result'; readonly result: ShardResult }
  | { readonly kind: 'failed'; readonly message: string };

/** After this many lines, a share stops if more than a quarter of them had to be parsed to find their run. */
const UNSURE_AFTER = 4096;
/** Progress is told once every this many chunks read. */
const PROGRESS_EVERY = 16;

/** A line the bytes said was this share's turned out to be another's when parsed: the share cannot be trusted. */
class Misrouted extends Error {
  constructor(readonly line: number) {
    super(`line ${line} names its run in a way the threads cannot share out`);
  }
}

/**
 * Replay one partition's events of a JSON Lines file, reading the whole file: a line whose bytes name another
 * partition's run is skipped unparsed; a line they do not name plainly is parsed and replayed only if its
 * partition is this one. The events replayed, and in what order, are those the engine of a replay with `shards`
 * partitions gives that partition; not-JSON lines and events without a run are counted by share 0.
 */
export async function replayShard(
  task: ShardTask,
  progressed: (bytes: number, lines: number) => void,
): Promise<ShardResult> {
  const { shard, shards } = task;
  const { report, ...options } = task.options;
  const collector = report === true ? new ReportCollector() : undefined;
  const run = new ReplayRun({
    ...options,
    trackLines: true,
    ...(collector !== undefined && { observers: [collector] }),
  });
  const { tally } = run;
  let lines = 0;
  let unsure = 0;
  const splitter = new LineSplitter((bytes, start, end) => {
    lines += 1;
    const owner = ownerOfLine(bytes, start, end, shards);
    if (owner < 0) {
      unsure += 1;
      return 'unsure';
    }
    return owner === shard ? 'mine' : 'elsewhere';
  });
  // Synchronous unless the run must wait for deliveries: no promise is made for most lines.
  const take = (item: ReadItem): Promise<void> | undefined => {
    if (!item.ok) {
      if (item.elsewhere === true) run.skipped();
      else if (item.unsure !== true || shard === 0) {
        tally.line = item.line;
        tally.counts.read += 1;
        tally.counts.notJson += 1;
        tally.problem('not_json', item.message);
      }
      return undefined;
    }
    if (ownerOfEvent(item.value, shards) !== shard) {
      if (item.unsure !== true) throw new Misrouted(item.line);
      run.passed(item.value);
      return undefined;
    }
    tally.line = item.line;
    tally.counts.read += 1;
    return run.ingest(item.value, true);
  };

  const file = createReadStream(task.file, { highWaterMark: READ_CHUNK });
  let chunks = 0;
  try {
    for await (const chunk of file as AsyncIterable<Buffer>) {
      for (const item of splitter.push(chunk)) {
        const waiting = take(item);
        if (waiting !== undefined) await waiting;
      }
      if (lines >= UNSURE_AFTER && unsure * 4 > lines)
        return { done: false, why: 'most lines do not name their run plainly' };
      if (++chunks % PROGRESS_EVERY === 0) progressed(file.bytesRead, lines);
    }
    for (const item of splitter.end()) {
      const waiting = take(item);
      if (waiting !== undefined) await waiting;
    }
  } catch (error) {
    if (error instanceof TimeUnknown || error instanceof Misrouted)
      return { done: false, why: error.message };
    return { done: false, why: `reading the file failed (${(error as Error).message})` };
  } finally {
    file.destroy();
  }
  progressed(file.bytesRead, lines);
  const { stats, deliveries } = await run.finish();
  return {
    done: true,
    counts: tally.counts,
    problems: tally.problems,
    firings: tally.firings,
    firingLines: tally.firingLines,
    fired: tally.fired,
    tallies: [...tally.tallies].map(([id, t]) => [
      id,
      {
        ...(t.first !== undefined && { first: t.first }),
        ...(t.last !== undefined && { last: t.last }),
        runs: [...t.runs].map(
          ([key, name]) => [key, name, tally.runLines.get(`${id}\u0000${key}`) ?? 0] as const,
        ),
      },
    ]),
    runs: tally.runs.state,
    ...(tally.first !== undefined && { first: tally.first }),
    ...(tally.last !== undefined && { last: tally.last }),
    stats,
    deliveries,
    ...(collector !== undefined && { report: collector.shareRuns() }),
  };
}
