import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { unsupported } from '../../cluster/cluster-support.js';
import type { EventSource } from '../read-events.js';
import { ReplayRun } from '../replay-run.js';
import type { ReplayObserver, ReplayOptions, ReplayResult } from '../replay-types.js';
import { ReportCollector } from '../report/collector.js';
import { byLine, mergeShards } from './merge-shards.js';
import type { ShardMessage, ShardResult, ShardTask } from './replay-shard.js';

/** The most threads a replay starts, whatever it is asked for. */
export const MAX_THREADS = 64;

/** The threads to use for `--threads auto`: one per core, at most 8 (past that, reading the file is the limit). */
export function autoThreads(): number {
  return Math.min(8, availableParallelism());
}

/**
 * The smallest file `--threads auto` shares out: each thread starts its own engine and reads every line, so on
 * this project's 2-core machine two threads replayed a 100 MB file 8 % slower than one, a 300 MB file 9 % faster
 * and a 1 GB file 1.4 times as fast. Below it, auto replays its partitions on one thread (the same result).
 */
export const AUTO_MIN_BYTES = 256 * 2 ** 20;
/**
 * The same with a report, whose charts make each line cost more: two threads took 9 % longer than one on a 20 MB
 * file, and 30 % less on 100 MB.
 */
export const AUTO_MIN_REPORT_BYTES = 64 * 2 ** 20;

/**
 * Why this replay cannot share its events out between threads, or undefined when it can. Each thread replays the
 * events of one partition of runs (SEMANTICS §9) from the file, so the replay needs: a file (not stdin, not
 * gzipped: each thread reads it), in JSON Lines; actions recorded, not sent; no observer of every event but the
 * report's (each thread draws its own runs; observers of firings only, as `--format jsonl`'s, are given the merged
 * firings at the end); and automations a cluster can run, none judged across runs or by the clock
 * (`whyNotAutomations`).
 */
function whyOneThread(path: string, options: ReplayOptions): string | undefined {
  if (path === '-') return 'stdin is read once';
  if (path.endsWith('.gz')) return 'a gzipped file would be unpacked by every thread';
  if (options.deliver !== undefined) return 'sending for real (--deliver) goes through one engine';
  const watching = (o: ReplayObserver): boolean => o.event !== undefined || o.suppressed !== undefined;
  if ((options.observers ?? []).some((o) => !(o instanceof ReportCollector) && watching(o)))
    return 'an observer watches every event in order';
  try {
    if (startsAsArray(path)) return 'a JSON array is read as one text';
  } catch {
    return 'the file cannot be opened here';
  }
  return undefined;
}

/**
 * The first saved automation that threads would run otherwise, and why; undefined when there is none: one a
 * cluster refuses, or one with a rate limit (its deliveries share one budget across runs, and a thread's clock
 * stops at its own last event).
 */
function whyNotAutomations(automations: ReplayRun['automations']): string | undefined {
  for (const a of automations) {
    const problem = unsupported(a);
    // The cluster's advice ("…: run it in one engine") is what the replay then does.
    if (problem !== undefined) return `automation "${a.name}": ${problem.why.split(': run ')[0]}`;
    if (a.rateLimit !== undefined) return `automation "${a.name}": its rate limit spans every run`;
  }
  return undefined;
}

/** The file's first character that is not white space is `[`. */
function startsAsArray(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    const text = head.toString('utf8', 0, n).replace(/^[\s\uFEFF]+/, '');
    return text.startsWith('[');
  } finally {
    closeSync(fd);
  }
}

/**
 * A thread running the replay's thread entry: the built one next to this module, or, when this module runs as
 * TypeScript source (tsx, vitest), the source one through tsx's loader, which a thread must register itself.
 */
function startThread(task: ShardTask): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./replay-worker.js', import.meta.url), { workerData: task });
  const entry = new URL('./replay-worker.ts', import.meta.url).href;
  // A thread evaluated from text resolves a package from the working folder: the checkout's, from source.
  const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: task });
}

/**
 * Replay the JSON Lines file at `path` on `threads` threads, each the engine of one partition (SEMANTICS §9):
 * the result is the one `replay` gives with `partitions: threads` on one thread. Answers why not, instead, when
 * this replay cannot be shared out (`whyOneThread`) or a thread found a line it cannot place (an event without
 * a time after another thread's line, a run named in an unusual way), or the file is under `minBytes`: the
 * caller then replays on one thread.
 */
export async function replayInThreads(
  path: string,
  options: ReplayOptions,
  threads: number,
  minBytes = 0,
): Promise<ReplayResult | { readonly why: string }> {
  const why = whyOneThread(path, options);
  if (why !== undefined) return { why };
  if (statSync(path).size < minBytes)
    return { why: `the file is under ${minBytes / 2 ** 20} MiB, where threads start slower than they help` };
  // The automations are saved once here: a bad one fails as it does on one thread, before a thread starts.
  const check = new ReplayRun(options);
  await check.finish();
  const refused = whyNotAutomations(check.automations);
  if (refused !== undefined) return { why: refused };

  // How far each thread has read: the progress bar shows the slowest.
  const read = new Array<number>(threads).fill(0);
  const lines = new Array<number>(threads).fill(0);
  const source: EventSource = {
    name: path,
    stream: Readable.from([]),
    bytesRead: () => Math.min(...read),
    textBytes: () => Math.min(...read),
    gzip: false,
    size: statSync(path).size,
  };
  const progress = options.progress?.(source);
  const workers: Worker[] = [];
  const keep = options.keepFirings ?? Number.POSITIVE_INFINITY;
  const observed =
    (options.observers ?? []).length === 0 ? 0 : (options.observedFirings ?? Number.POSITIVE_INFINITY);
  const reports = (options.observers ?? []).filter((o) => o instanceof ReportCollector);
  const shardOptions = {
    automations: options.automations,
    ...(reports.length > 0 && { report: true }),
    ...(options.from !== undefined && { from: options.from }),
    ...(options.to !== undefined && { to: options.to }),
    keepFirings: Math.max(keep, observed),
    ...(options.slimFirings !== undefined && { slimFirings: options.slimFirings }),
    ...(options.problemLimit !== undefined && { problemLimit: options.problemLimit }),
  };
  let results: ShardResult[];
  // Why the first thread to give up gave up (the others are stopped then, and say only that).
  let stoppedWhy: string | undefined;
  try {
    results = await Promise.all(
      Array.from({ length: threads }, (_, shard) => {
        const task: ShardTask = { file: path, shard, shards: threads, options: shardOptions };
        const worker = startThread(task);
        workers.push(worker);
        return new Promise<ShardResult>((resolve, reject) => {
          worker.on('message', (m: ShardMessage) => {
            if (m.kind === 'progress') {
              read[shard] = m.bytes;
              lines[shard] = m.lines;
              progress?.update(Math.min(...read), Math.min(...lines));
            } else if (m.kind === 'result') {
              resolve(m.result);
              // One thread that cannot go on ends them all: the file is replayed on one thread.
              if (!m.result.done) {
                stoppedWhy ??= m.result.why;
                for (const w of workers) void w.terminate();
              }
            } else reject(new Error(m.message));
          });
          worker.on('error', reject);
          worker.on('exit', (code) => resolve({ done: false, why: `a thread stopped (exit code ${code})` }));
        });
      }),
    );
  } finally {
    progress?.finish();
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const stopped = results.find((r) => !r.done);
  if (stopped !== undefined && !stopped.done) return { why: stoppedWhy ?? stopped.why };
  const merged = mergeShards(
    results.filter((r): r is Extract<ShardResult, { done: true }> => r.done),
    check.automations,
    { problems: options.problemLimit ?? 1000, firings: Math.max(keep, observed) },
  );
  for (const p of merged.problems) options.onProblem?.(p);
  // The report's runs were drawn by the threads, each its partition's, firings included: in line order, as one
  // thread would have met them.
  const drawn = byLine(results.map((r) => (r.done ? (r.report ?? []) : [])));
  for (const report of reports) report.addShares(drawn);
  const others = (options.observers ?? []).filter((o) => !(o instanceof ReportCollector));
  // Observers of firings see them now, in the order one thread would have shown them as they came.
  for (const f of merged.firings.slice(0, observed)) for (const o of others) o.firing?.(f);
  return { source: path, ...merged, firings: merged.firings.slice(0, keep) };
}
