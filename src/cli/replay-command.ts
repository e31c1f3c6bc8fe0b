import { writeFileSync } from 'node:fs';
import type { Automation, NewAutomation } from '../index.js';
import { type CliIo, EXIT_BAD_INPUT, EXIT_OK } from './cli-io.js';
import { jsonlTail, jsonOutput, tableOutput } from './format-output.js';
import { InputError } from './input-error.js';
import {
  type ConfiguredIntegration,
  loadAutomations,
  loadIntegrations,
  loadWandbAutomations,
} from './load-definitions.js';
import { Progress } from './progress.js';
import { breakMessage, type EventSource, openEvents } from './read-events.js';
import { replay } from './replay.js';
import type { Problem, ReplayObserver, ReplayOptions, ReplayResult } from './replay-types.js';
import { ReportCollector } from './report/collector.js';
import { renderReport } from './report/render-report.js';
import { firingLine } from './summary.js';
import { AUTO_MIN_BYTES, AUTO_MIN_REPORT_BYTES, replayInThreads } from './threads/replay-threads.js';
import { UsageError } from './usage-error.js';

/** The replay's options, as parsed from the command line. */
export type ReplayCommand = {
  readonly automations: string;
  readonly events: string;
  readonly format: 'table' | 'json' | 'jsonl';
  /** List at most this many firings (the summary stays); `limitOption` says which option asked for it. */
  readonly limit?: number;
  readonly limitOption?: string;
  readonly only: readonly string[];
  readonly deliver: boolean;
  readonly from?: number;
  readonly to?: number;
  readonly report?: string;
  readonly integrations?: string;
  /** The automations file holds W&B automations and the maps of their ids (`--from-wandb`). */
  readonly fromWandb?: boolean;
  /** Replay on this many threads, one partition of the runs each (`--threads`); the engine has as many partitions. */
  readonly threads?: number;
  /** `--threads auto`: the threads are one per core, and a small file replays on one thread (AUTO_MIN_BYTES). */
  readonly threadsAuto?: boolean;
};

/** At most this many problems are printed on stderr; all are counted. */
const SHOWN_PROBLEMS = 20;

function selectAutomations(
  all: readonly NewAutomation[],
  only: readonly string[],
  file: string,
): NewAutomation[] {
  if (only.length === 0) return [...all];
  const names = new Set(all.map((a) => a.name));
  const unknown = only.filter((n) => !names.has(n));
  if (unknown.length > 0)
    throw new UsageError(
      `--only ${unknown.join(', ')}: no such automation in ${file} (it has: ${[...names].join(', ')})`,
    );
  return all.filter((a) => a.name !== undefined && only.includes(a.name));
}

/**
 * Replay on `threads` threads if this replay can be shared out and the file holds `minBytes` or more; else on this
 * one, telling `oneThread` why.
 */
async function replayOn(
  path: string,
  options: ReplayOptions,
  threads: number,
  minBytes: number,
  open: () => EventSource,
  oneThread: (why: string) => void,
): Promise<ReplayResult> {
  if (threads <= 1) return replay(open, options);
  const shared = await replayInThreads(path, options, threads, minBytes);
  if (!('why' in shared)) return shared;
  oneThread(shared.why);
  return replay(open, options);
}

/** `ml-automations replay` with its arguments parsed: read, replay, report, print; resolves to the exit code. */
export async function replayCommand(options: ReplayCommand, io: CliIo): Promise<number> {
  const automations = selectAutomations(
    options.fromWandb === true
      ? loadWandbAutomations(options.automations)
      : loadAutomations(options.automations),
    options.only,
    options.automations,
  );
  let integrations: Record<string, ConfiguredIntegration> | undefined;
  if (options.integrations !== undefined) integrations = loadIntegrations(options.integrations);
  let progress: Progress | undefined;
  let sourceName = options.events === '-' ? 'stdin' : options.events;
  const open = (): EventSource => {
    try {
      return openEvents(options.events, io.stdin);
    } catch (error) {
      throw new InputError(`cannot read the events file ${options.events}: ${(error as Error).message}`);
    }
  };
  let shown = 0;
  const onProblem = (p: Problem): void => {
    shown += 1;
    if (shown > SHOWN_PROBLEMS) return;
    progress?.clear();
    io.stderr.write(`${sourceName}:${p.line}: ${p.message}\n`);
  };
  const observers: ReplayObserver[] = [];
  const collector = options.report === undefined ? undefined : new ReportCollector();
  if (collector !== undefined) observers.push(collector);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (options.format === 'jsonl') {
    const byId = new Map<string, Automation>();
    let streamed = 0;
    observers.push({
      start: (saved) => {
        for (const a of saved) byId.set(a.id, a);
      },
      firing: (f) => {
        if (streamed >= limit) return;
        streamed += 1;
        progress?.clear();
        io.stdout.write(firingLine(f, byId.get(f.automationId)));
      },
    });
  }
  let result: Awaited<ReturnType<typeof replay>>;
  try {
    const replayOptions: ReplayOptions = {
      automations,
      ...(options.deliver && integrations !== undefined && { deliver: integrations }),
      ...(options.from !== undefined && { from: options.from }),
      ...(options.to !== undefined && { to: options.to }),
      // The report lists every firing; otherwise only those printed are kept.
      keepFirings:
        collector !== undefined ? Number.POSITIVE_INFINITY : options.format === 'jsonl' ? 0 : limit,
      // jsonl prints the first `limit` firings as they come (on threads: once the shares are merged).
      ...(options.format === 'jsonl' && { observedFirings: limit }),
      // The report draws from the firings it keeps; the other outputs need no metric of the row that fired.
      slimFirings: collector === undefined,
      observers,
      onProblem,
      progress: (source) => {
        sourceName = source.name;
        progress = new Progress(io.stderr, io.clock, source.size, source.gzip);
        return progress;
      },
      ...(options.threads !== undefined && options.threads > 1 && { partitions: options.threads }),
    };
    const threads = options.threads ?? 1;
    result = await replayOn(
      options.events,
      replayOptions,
      threads,
      // auto leaves a small file to one thread; a report makes each line cost more, so threads pay sooner.
      options.threadsAuto !== true ? 0 : collector === undefined ? AUTO_MIN_BYTES : AUTO_MIN_REPORT_BYTES,
      open,
      (why) => {
        io.stderr.write(`ml-automations replay: on one thread, as ${options.threads} partitions: ${why}\n`);
      },
    );
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${sourceName}: ${(error as Error).message}`);
  }
  // Every problem is counted, but a replay on threads keeps (and shows) only the first ones.
  const { notJson, rejected, duplicates, stale } = result.counts;
  const problems = notJson + rejected + duplicates + stale;
  if (problems > SHOWN_PROBLEMS)
    io.stderr.write(`… ${problems - SHOWN_PROBLEMS} more problems not shown (${problems} in all)\n`);

  if (options.report !== undefined && collector !== undefined) {
    const html = renderReport(collector.build(result), {
      generatedAt: io.clock.now(),
      automationsFile: options.automations,
    });
    try {
      writeFileSync(options.report, html);
    } catch (error) {
      throw new InputError(`cannot write the report ${options.report}: ${(error as Error).message}`);
    }
  }

  const context = {
    automationsFile: options.automations,
    ...(options.report !== undefined && { report: options.report }),
    ...(options.limit !== undefined && {
      limit: { count: options.limit, option: options.limitOption ?? `--limit ${options.limit}` },
    }),
  };
  if (options.format === 'table') io.stdout.write(`${tableOutput(result, context).join('\n')}\n`);
  else if (options.format === 'json') io.stdout.write(`${jsonOutput(result, context)}\n`);
  else io.stdout.write(`${jsonlTail(result, context).join('\n')}\n`);

  const { counts } = result;
  if (result.readError !== undefined) {
    io.stderr.write(`ml-automations replay: ${breakMessage(sourceName, result.readError)}\n`);
    return EXIT_BAD_INPUT;
  }
  if (counts.read === 0) {
    io.stderr.write(`ml-automations replay: no event in ${sourceName}: nothing to replay\n`);
    return EXIT_BAD_INPUT;
  }
  if (counts.accepted === 0 && counts.notJson + counts.rejected > 0) {
    io.stderr.write(`ml-automations replay: no event could be read from ${sourceName}\n`);
    return EXIT_BAD_INPUT;
  }
  return EXIT_OK;
}
