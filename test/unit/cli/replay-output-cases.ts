import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

// The replay's output on fixed inputs, case by case: recorded once from the code before the replay was made
// faster (replay-output.golden.json), and compared byte for byte by replay-output.test.ts.

export type CliRun = { readonly code: number; readonly stdout: string; readonly stderr: string };
export type RunCli = (args: readonly string[], options?: { stdin?: string }) => Promise<CliRun>;
/** The report's HTML is large: its SHA-256 stands for it. */
export type CaseOutput = CliRun & { readonly reportSha256?: string };

const EXAMPLE_AUTOMATIONS = 'src/cli/example/automations.json';
const EXAMPLE_EVENTS = 'src/cli/example/runs.jsonl';

/** The demo's events, messed up as real files are: a BOM, CRLF, blank and bad lines, a duplicate, no time. */
function messy(lines: readonly string[]): string {
  const out: string[] = [];
  lines.slice(0, 300).forEach((line, i) => {
    if (i === 5) out.push('{"not": "closed"');
    if (i === 9) out.push('', '   ');
    if (i === 12) out.push('[1, 2, 3]');
    if (i === 20) out.push(lines[3] as string); // a duplicate (same source and id)
    if (i === 40) {
      const e = JSON.parse(line) as { time?: unknown; id: string };
      delete e.time;
      e.id = `${e.id}-untimed`;
      out.push(JSON.stringify(e));
    }
    if (i === 60) out.push('{"type":"run.metrics","data":{"entity":"acme"}}');
    if (i === 70) out.push('42');
    out.push(i % 7 === 0 ? `${line}\r` : line);
  });
  out.push('not json at the end, no newline');
  return `\uFEFF${out.join('\n')}`;
}

/** Write the inputs into `dir`, run every case, and return each one's output with `dir` written as `<dir>`. */
export async function runCases(cli: RunCli, dir: string): Promise<Record<string, CaseOutput>> {
  const lines = readFileSync(EXAMPLE_EVENTS, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const file = (name: string, text: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const messyText = messy(lines);
  const messyPath = file('messy.jsonl', messyText);
  const gz = file('messy.jsonl.gz', gzipSync(messyText));
  const array = file('array.json', `[\n${lines.slice(0, 120).join(',\n')}\n]\n`);
  const noNewline = file('tail.jsonl', lines.slice(0, 50).join('\n'));
  const report = join(dir, 'report.html');
  const a = ['replay', '-a', EXAMPLE_AUTOMATIONS];
  const cases: Record<string, { args: string[]; stdin?: string; report?: boolean }> = {
    table: { args: [...a, '-e', EXAMPLE_EVENTS] },
    json: { args: [...a, '-e', EXAMPLE_EVENTS, '--format', 'json'] },
    jsonl: { args: [...a, '-e', EXAMPLE_EVENTS, '--format', 'jsonl'] },
    limit: { args: [...a, '-e', EXAMPLE_EVENTS, '--limit', '3'] },
    jsonlLimit: { args: [...a, '-e', EXAMPLE_EVENTS, '-f', 'jsonl', '-n', '2'] },
    quiet: { args: [...a, '-e', EXAMPLE_EVENTS, '-q'] },
    only: { args: [...a, '-e', EXAMPLE_EVENTS, '--only', 'loss-spike', '--only', 'run-failed'] },
    range: {
      args: [...a, '-e', EXAMPLE_EVENTS, '--from', '2026-03-01T10:30:00Z', '--to', '2026-03-01T12:00:00Z'],
    },
    report: { args: [...a, '-e', EXAMPLE_EVENTS, '-q', '--report', report], report: true },
    messyTable: { args: [...a, '-e', messyPath] },
    messyJson: { args: [...a, '-e', messyPath, '-f', 'json'] },
    messyGzip: { args: [...a, '-e', gz, '-f', 'jsonl'] },
    messyReport: { args: [...a, '-e', messyPath, '-q', '-r', report], report: true },
    array: { args: [...a, '-e', array, '-f', 'json'] },
    noNewline: { args: [...a, '-e', noNewline] },
    stdin: { args: [...a, '-e', '-', '-f', 'json'], stdin: messyText },
  };
  const out: Record<string, CaseOutput> = {};
  const clean = (text: string): string => text.replaceAll(dir, '<dir>');
  for (const [name, c] of Object.entries(cases)) {
    const run = await cli(c.args, c.stdin === undefined ? {} : { stdin: c.stdin });
    out[name] = {
      code: run.code,
      stdout: clean(run.stdout),
      stderr: clean(run.stderr),
      ...(c.report === true && {
        reportSha256: createHash('sha256')
          .update(clean(readFileSync(report, 'utf8')))
          .digest('hex'),
      }),
    };
  }
  return out;
}
