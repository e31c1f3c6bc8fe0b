// The `ml-automations` command (the package's bin): argument parsing and exit codes; the replay is in replay-command.ts.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { systemClock } from '../clock/system-clock.js';
import { type CliIo, EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE } from './cli-io.js';
import { InputError } from './input-error.js';
import { packageVersion } from './package-version.js';
import { type ReplayCommand, replayCommand } from './replay-command.js';
import { autoThreads, MAX_THREADS } from './threads/replay-threads.js';
import { UsageError } from './usage-error.js';

export const USAGE = `Usage: ml-automations replay --automations FILE --events FILE [options]
       ml-automations serve [--config FILE] [--port 8787] [--store DIR]   (serve --help for its options)
       ml-automations cluster init|push|publish|worker|firings|status --nats URL …  (cluster --help)

Replay recorded events through automations, on event time, and show when they would have fired.

Options:
  -a, --automations FILE    automations JSON: one definition or a list (required)
  -e, --events FILE         events: JSON Lines or a JSON array; '-' reads stdin; *.gz is gunzipped (required)
      --from TIME           only events at or after TIME (RFC 3339, YYYY-MM-DD, or epoch ms)
      --to TIME             only events before TIME
      --only NAME           only the automation named NAME (repeat for several)
  -f, --format FORMAT       table (default), json or jsonl
  -n, --limit N             list at most N firings, and say how many more there were (the summary stays)
  -q, --quiet               list no firing: the summary only (--limit 0)
  -r, --report FILE.html    also write a self-contained HTML report with a chart per run and metric
  -t, --threads N|auto      replay on N threads, each the engine of one partition of the runs (SEMANTICS §9);
                            auto: one per core, at most 8, and one thread for a file under
                            256 MiB (64 MiB with --report). Seen event ids are then kept per
                            partition (default 1)
      --deliver             really send notifications and webhooks (default: record them, send nothing)
  -i, --integrations FILE   integrations JSON for --deliver: { "name": { "type": "SlackIntegration", ... } }
      --from-wandb          the automations file holds W&B automations: { "scopes": { W&B id: scope },
                            "integrations": { W&B id: name }, "automations": [ W&B JSON, ... ] }
  -h, --help                show this help
      --version             print the version

Bad lines are reported on stderr with their line numbers, counted and skipped.
Exit codes: 0 done; 1 bad input (a file that cannot be read or used, an events file with no event or none
that could be read, a .gz that breaks off: after its summary); 2 usage error.
`;

function parseTime(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms))
    throw new UsageError(`--${option} ${text}: expected RFC 3339, YYYY-MM-DD or epoch ms`);
  return ms;
}

function parseLimit(text: string | undefined, quiet: boolean): number | undefined {
  if (quiet && text !== undefined) throw new UsageError('--quiet and --limit: give one of them');
  if (quiet) return 0;
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new UsageError(`--limit ${text}: expected a whole number of firings, 0 or more`);
  return Number(text);
}

function parseThreads(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text === 'auto') return autoThreads();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_THREADS)
    throw new UsageError(`--threads ${text}: expected auto or a whole number from 1 to ${MAX_THREADS}`);
  return n;
}

function parse(
  argv: readonly string[],
): { readonly help: true } | { readonly version: true } | ({ readonly help: false } & ReplayCommand) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      automations: { type: 'string', short: 'a' },
      events: { type: 'string', short: 'e' },
      from: { type: 'string' },
      to: { type: 'string' },
      only: { type: 'string', multiple: true },
      format: { type: 'string', short: 'f', default: 'table' },
      limit: { type: 'string', short: 'n' },
      quiet: { type: 'boolean', short: 'q', default: false },
      report: { type: 'string', short: 'r' },
      deliver: { type: 'boolean', default: false },
      integrations: { type: 'string', short: 'i' },
      threads: { type: 'string', short: 't' },
      'from-wandb': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', default: false },
    },
  });
  if (values.help) return { help: true as const };
  if (values.version) return { version: true as const };
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  if (values.automations === undefined) throw new UsageError('--automations FILE is required');
  if (values.events === undefined) throw new UsageError('--events FILE is required (- for stdin)');
  const format = values.format;
  if (format !== 'table' && format !== 'json' && format !== 'jsonl')
    throw new UsageError(`--format ${format}: expected table, json or jsonl`);
  const limit = parseLimit(values.limit, values.quiet);
  const from = parseTime('from', values.from);
  const to = parseTime('to', values.to);
  if (from !== undefined && to !== undefined && from >= to)
    throw new UsageError('--from must be before --to');
  if (values.deliver && values.integrations === undefined)
    throw new UsageError('--deliver needs --integrations FILE: where to send');
  const threads = parseThreads(values.threads);
  return {
    help: false as const,
    automations: values.automations,
    events: values.events,
    format: format as ReplayCommand['format'],
    only: values.only ?? [],
    deliver: values.deliver,
    ...(values['from-wandb'] && { fromWandb: true }),
    ...(limit !== undefined && { limit, limitOption: values.quiet ? '--quiet' : `--limit ${limit}` }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    ...(values.report !== undefined && { report: values.report }),
    ...(values.integrations !== undefined && { integrations: values.integrations }),
    ...(threads !== undefined && { threads }),
    ...(values.threads === 'auto' && { threadsAuto: true }),
  };
}

// serve and cluster are loaded when asked for: the replay does not pay for the HTTP server and NATS client.
async function serve(argv: readonly string[], io: CliIo): Promise<number> {
  const { SERVE_USAGE, serveCommand } = await import('./serve-command.js');
  try {
    return await serveCommand(argv, io);
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr.write(`ml-automations serve: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    const code = (error as { code?: unknown }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`ml-automations serve: ${(error as Error).message}\n\n${SERVE_USAGE}`);
      return EXIT_USAGE;
    }
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      io.stderr.write(`ml-automations serve: ${(error as Error).message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}

/** Run the command with `argv` (without `node` and the script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr.write(USAGE);
    return EXIT_USAGE;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (command === '--version') {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  if (command === 'serve') return serve(rest, io);
  if (command === 'cluster') return (await import('./cluster-command.js')).clusterCommand(rest, io);
  if (command !== 'replay') {
    io.stderr.write(`ml-automations: unknown command '${command}'\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    const options = parse(rest);
    if ('version' in options) {
      io.stdout.write(`${packageVersion()}\n`);
      return EXIT_OK;
    }
    if (options.help) {
      io.stdout.write(USAGE);
      return EXIT_OK;
    }
    return await replayCommand(options, io);
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr.write(`ml-automations replay: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    // parseArgs throws TypeErrors with an ERR_PARSE_ARGS_* code for unknown options and missing values.
    const code = (error as { code?: unknown }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(
        `ml-automations replay: ${(error as Error).message}\nRun 'ml-automations replay --help' for the options.\n`,
      );
      return EXIT_USAGE;
    }
    throw error;
  }
}

function isEntry(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntry()) {
  // A replay makes a line's objects and drops them a line later, millions of times. V8 may decide, on a chance early
  // collection, that objects from one of the replay's allocation sites live long, and allocate them in the old
  // generation from then on (allocation-site pretenuring); they then keep each line's young objects alive until a
  // full collection. 10 runs of 49 did (on one file: 17 full collections instead of one, peak RSS 370 MB instead of
  // 260, a quarter more CPU); none of 26 did with this off. Only for the bin's own process: a host that embeds the
  // engine keeps its own V8 settings. The flag is read when V8 weighs its allocation sites, at each collection, so
  // setting it before the first event is read is in time.
  if (process.argv[2] === 'replay') setFlagsFromString('--no-allocation-site-pretenuring');
  // `| head` closes stdout early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_OK);
    throw error;
  });
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    clock: systemClock,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `ml-automations: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = EXIT_BAD_INPUT;
    },
  );
}
