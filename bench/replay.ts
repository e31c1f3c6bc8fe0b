import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { openEvents, readEvents } from '../src/cli/read-events.js';
import { type Row, rateRow, targetRow, valueRow } from './measure.js';
import { writeAutomations, writeEvents } from './replay-fixture.js';

const SCENARIO = 'replay (JSONL vs read + JSON.parse)';
const TARGET_SHARE = 0.5;
const TARGET_RSS_MB = 300;
const AUTOMATIONS = 300;
/** The threads of the threaded replay's row: one per core of the project's machine. */
const THREADS = 2;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TIME = '/usr/bin/time';

/** The bare limit, as a user would write it: node:readline, JSON.parse each line, count. */
async function bareReadline(path: string): Promise<number> {
  let lines = 0;
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    if (line === '') continue;
    JSON.parse(line);
    lines += 1;
  }
  return lines;
}

/** The bare limit with a Buffer-level splitter: newline search in each chunk, one decode a line. */
async function bareSplitter(path: string): Promise<number> {
  let lines = 0;
  let rest: Buffer | undefined;
  for await (const raw of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const chunk = rest === undefined ? (raw as Buffer) : Buffer.concat([rest, raw as Buffer]);
    let from = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, from)) {
      if (nl > from) {
        JSON.parse(chunk.toString('utf8', from, nl));
        lines += 1;
      }
      from = nl + 1;
    }
    rest = from < chunk.length ? chunk.subarray(from) : undefined;
  }
  if (rest !== undefined) {
    JSON.parse(rest.toString('utf8'));
    lines += 1;
  }
  return lines;
}

/** The replay's own reader (src/cli/read-events.ts) alone, in this process: what the command pays besides the engine. */
async function replayReader(path: string): Promise<number> {
  let lines = 0;
  const source = openEvents(path, Readable.from([]));
  for await (const batch of readEvents(source.stream)) lines += batch.length;
  return lines;
}

type ReplayRun = {
  readonly ns: number;
  readonly rssMb: number | undefined;
  /** User + system CPU seconds of the child: on a shared machine, steadier than its wall time. */
  readonly cpuS: number | undefined;
  readonly stdout: string;
};

/**
 * The `ml-automations` bin as the package ships it (tsup.config.ts's bin build), from the checkout at `root`,
 * into `outDir` under that checkout's node_modules (where the bundle finds its dependencies).
 */
async function buildBin(root: string, outDir: string): Promise<string> {
  await build({
    config: false,
    entry: {
      main: join(root, 'src/cli/main.ts'),
      'replay-worker': join(root, 'src/cli/threads/replay-worker.ts'),
    },
    outDir,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: false,
    sourcemap: false,
    splitting: true,
    treeshake: true,
    silent: true,
  });
  return join(outDir, 'main.js');
}

/** The replay command, in a child process, under /usr/bin/time for its peak RSS when that is installed. */
async function replayCommand(
  bin: string,
  automations: string,
  events: string,
  dir: string,
  extra: readonly string[] = [],
): Promise<ReplayRun> {
  const rssFile = join(dir, 'rss');
  const node = [process.execPath, bin, 'replay', '-a', automations, '-e', events, ...extra];
  const timed = existsSync(TIME);
  const [command, ...args] = timed ? [TIME, '-f', '%M %U %S', '-o', rssFile, ...node] : node;
  const t0 = process.hrtime.bigint();
  const child = spawn(command as string, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  // The summary's first lines are enough (the firings listed after them may run to megabytes).
  child.stdout.setEncoding('utf8').on('data', (t: string) => {
    if (stdout.length < 4096) stdout += t.slice(0, 4096);
  });
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const ns = Number(process.hrtime.bigint() - t0);
  if (code !== 0) throw new Error(`replay exited ${code}: ${stderr.slice(0, 2000)}`);
  const [rssKb, user, system] = timed
    ? (readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number)
    : [];
  return {
    ns,
    rssMb: rssKb === undefined || Number.isNaN(rssKb) ? undefined : rssKb / 1024,
    cpuS: user === undefined || system === undefined ? undefined : user + system,
    stdout,
  };
}

/**
 * The replay command (the bin, built from src/) against the bare read + parse loop over the same JSONL file
 * (REPLAY_MB, default 1024 MB, in the temp folder and deleted afterwards), interleaved over REPLAY_ROUNDS rounds
 * (default 2), best of each. The target compares the replay with the faster of the two bare loops.
 * REPLAY_BASE names another checkout (the code before, say) whose bin is measured in the same rounds.
 */
export async function replayScenario(): Promise<Row[]> {
  const mb = Number(process.env['REPLAY_MB'] ?? 1024);
  const rounds = Number(process.env['REPLAY_ROUNDS'] ?? 2);
  const baseRoot = process.env['REPLAY_BASE'];
  const dir = mkdtempSync(join(tmpdir(), 'mla-replay-bench-'));
  const cache = `mla-replay-bench-${process.pid}`;
  const binDirs = [join(ROOT, 'node_modules', '.cache', cache)];
  if (baseRoot !== undefined)
    binDirs.push(join(resolve(baseRoot), 'node_modules', '.cache', `${cache}-base`));
  try {
    const bins = [await buildBin(ROOT, binDirs[0] as string)];
    if (baseRoot !== undefined) bins.push(await buildBin(resolve(baseRoot), binDirs[1] as string));
    const events = join(dir, 'events.jsonl');
    const automations = join(dir, 'automations.json');
    const t0 = Date.now();
    const lines = writeEvents(events, mb * 1024 * 1024);
    writeAutomations(automations, AUTOMATIONS);
    const bytes = statSync(events).size;
    console.error(
      `replay: ${lines.toLocaleString('en-US')} lines, ${(bytes / 2 ** 20).toFixed(0)} MB written in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const bare = {
      readline: Number.POSITIVE_INFINITY,
      splitter: Number.POSITIVE_INFINITY,
      reader: Number.POSITIVE_INFINITY,
    };
    const bareCpu = { ...bare };
    const threaded = { ns: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY, rss: 0 };
    const replays = bins.map(() => ({
      ns: Number.POSITIVE_INFINITY,
      cpu: Number.POSITIVE_INFINITY,
      rss: 0,
      summary: '',
    }));
    for (let r = 0; r < rounds; r++) {
      for (const [name, loop] of [
        ['readline', bareReadline],
        ['splitter', bareSplitter],
        ['reader', replayReader],
      ] as const) {
        const t = process.hrtime.bigint();
        const c = process.cpuUsage();
        const n = await loop(events);
        if (n !== lines) throw new Error(`bare ${name} read ${n} lines of ${lines}`);
        bare[name] = Math.min(bare[name], Number(process.hrtime.bigint() - t));
        const used = process.cpuUsage(c);
        bareCpu[name] = Math.min(bareCpu[name], (used.user + used.system) / 1e6);
      }
      {
        // The same command on THREADS threads (one partition of the runs each), from this checkout.
        const run = await replayCommand(bins[0] as string, automations, events, dir, [
          '--threads',
          String(THREADS),
        ]);
        threaded.ns = Math.min(threaded.ns, run.ns);
        threaded.cpu = Math.min(threaded.cpu, run.cpuS ?? Number.NaN);
        threaded.rss = Math.max(threaded.rss, run.rssMb ?? Number.NaN);
        console.error(
          `replay --threads ${THREADS}: round ${r + 1}: ${(run.ns / 1e9).toFixed(1)} s (${run.cpuS?.toFixed(1) ?? '?'} s CPU), RSS ${run.rssMb?.toFixed(0) ?? '?'} MB`,
        );
      }
      for (const [i, bin] of bins.entries()) {
        const run = await replayCommand(bin, automations, events, dir);
        const best = replays[i] as (typeof replays)[0];
        best.ns = Math.min(best.ns, run.ns);
        best.cpu = Math.min(best.cpu, run.cpuS ?? Number.NaN);
        best.rss = Math.max(best.rss, run.rssMb ?? Number.NaN);
        best.summary = run.stdout.split('\n').slice(1, 4).join(' | ');
        console.error(
          `replay${i === 0 ? '' : ' (base)'}: round ${r + 1}: ${(run.ns / 1e9).toFixed(1)} s (${run.cpuS?.toFixed(1) ?? '?'} s CPU), RSS ${run.rssMb?.toFixed(0) ?? '?'} MB`,
        );
      }
    }
    const [now, base] = replays as [(typeof replays)[0], (typeof replays)[0] | undefined];
    const limit = Math.min(bare.readline, bare.splitter);
    const share = limit / now.ns;
    const scenario = `${SCENARIO}, ${(bytes / 2 ** 20).toFixed(0)} MB`;
    const command = `replay command, ${AUTOMATIONS} automations (lines/s)`;
    return [
      rateRow(scenario, 'bare: readline + JSON.parse (lines/s)', bare.readline, lines),
      rateRow(scenario, 'bare: Buffer splitter + JSON.parse (lines/s)', bare.splitter, lines),
      rateRow(scenario, "the replay's reader alone: split + JSON.parse (lines/s)", bare.reader, lines),
      rateRow(scenario, command, now.ns, lines, now.summary),
      valueRow(scenario, 'replay peak RSS', now.rss, 'MB'),
      rateRow(scenario, `${command}, --threads ${THREADS}`, threaded.ns, lines),
      valueRow(
        scenario,
        `replay --threads ${THREADS}: share of the faster bare loop`,
        (limit / threaded.ns) * 100,
        '%',
      ),
      valueRow(scenario, `replay --threads ${THREADS}: peak RSS`, threaded.rss, 'MB'),
      valueRow(
        scenario,
        'on CPU time (steadier on a shared machine): replay share of the bare loop',
        (Math.min(bareCpu.readline, bareCpu.splitter) / now.cpu) * 100,
        '%',
        `replay ${Math.round(lines / now.cpu).toLocaleString('en-US')} lines per CPU second; bare splitter ${Math.round(lines / bareCpu.splitter).toLocaleString('en-US')}; reader alone ${Math.round(lines / bareCpu.reader).toLocaleString('en-US')}`,
      ),
      ...(base === undefined
        ? []
        : [
            rateRow(scenario, `${command}, ${baseRoot}`, base.ns, lines),
            valueRow(scenario, `replay peak RSS, ${baseRoot}`, base.rss, 'MB'),
            valueRow(scenario, `replay share of the bare loop, ${baseRoot}`, (limit / base.ns) * 100, '%'),
            valueRow(
              scenario,
              `on CPU time: replay share of the bare loop, ${baseRoot}`,
              (Math.min(bareCpu.readline, bareCpu.splitter) / base.cpu) * 100,
              '%',
              `${Math.round(lines / base.cpu).toLocaleString('en-US')} lines per CPU second`,
            ),
          ]),
      targetRow(
        scenario,
        `replay ≥ ${TARGET_SHARE * 100} % of the faster bare loop`,
        share * 100,
        '%',
        share >= TARGET_SHARE,
      ),
      targetRow(
        scenario,
        `replay RSS ≤ ${TARGET_RSS_MB} MB (no --report)`,
        now.rss,
        'MB',
        now.rss <= TARGET_RSS_MB,
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    for (const d of binDirs) rmSync(d, { recursive: true, force: true });
  }
}
