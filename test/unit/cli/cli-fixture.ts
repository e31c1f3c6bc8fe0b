import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { main } from '../../../src/cli/main.js';
import { VirtualClock } from '../../../src/testing/index.js';

export const T0 = Date.parse('2026-03-01T10:00:00Z');
export const SEC = 1000;
/** The clock the command reads for "generated at" and the progress bar. */
export const GENERATED = Date.parse('2026-04-01T09:00:00Z');

export type CliRun = { readonly code: number; readonly stdout: string; readonly stderr: string };

/** Run the command in-process with captured output; `stdin` is given as text. */
export async function cli(
  args: readonly string[],
  options: { stdin?: string; tty?: boolean; clock?: VirtualClock } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t), isTTY: options.tty ?? false, columns: 100 },
    stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
    clock: options.clock ?? new VirtualClock(GENERATED),
  });
  return { code, stdout, stderr };
}

/** A temporary directory, removed by `cleanup`. */
export function tempDir(): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mla-cli-'));
  return {
    dir,
    path: (name) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

export function writeLines(path: string, lines: readonly (string | object)[]): string {
  const text = `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`;
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(text) : text);
  return path;
}

type RunOptions = { runName?: string; user?: string; project?: string; id?: string };

/** A run.metrics event of acme/vision at T0 + `sec` seconds. */
export function metrics(
  runId: string,
  sec: number,
  step: number,
  values: Record<string, number | string>,
  o: RunOptions = {},
): object {
  return {
    specversion: '1.0',
    id: o.id ?? `${runId}-m-${step}`,
    source: '/acme/vision',
    type: 'run.metrics',
    time: new Date(T0 + sec * SEC).toISOString(),
    data: {
      entity: 'acme',
      project: o.project ?? 'vision',
      runId,
      runName: o.runName ?? runId,
      ...(o.user !== undefined && { user: o.user }),
      step,
      metrics: values,
    },
  };
}

export function state(runId: string, sec: number, s: string, o: RunOptions = {}): object {
  return {
    specversion: '1.0',
    id: o.id ?? `${runId}-state-${s}`,
    source: '/acme/vision',
    type: 'run.state',
    time: new Date(T0 + sec * SEC).toISOString(),
    data: { entity: 'acme', project: 'vision', runId, runName: o.runName ?? runId, state: s },
  };
}

/**
 * Two automations and two runs, small enough to count by hand:
 * - `loss-high` (loss > 1, cooldown 60 s) fires for beta at 5 s, for alpha at 15 s and again at 75 s (exactly
 *   60 s later, so no longer cooling down); alpha's matches at 30 s and 45 s and beta's at 20 s are suppressed.
 * - `run-failed` (a SendWebhook to `hooks`) fires once, when beta fails at 100 s.
 */
export const AUTOMATIONS = [
  {
    name: 'loss-high',
    cooldownMs: 60_000,
    event: {
      type: 'OnRunMetric',
      scope: 'acme/vision',
      filter: { type: 'MetricThresholdFilter', name: 'loss', cmp: '>', threshold: 1 },
    },
    action: { type: 'DoNothing' },
  },
  {
    name: 'run-failed',
    event: { type: 'OnRunState', scope: 'acme/vision', states: ['failed'] },
    action: { type: 'SendWebhook', integration: 'hooks' },
  },
];

export const EVENTS: readonly object[] = [
  metrics('alpha', 0, 0, { loss: 0.5 }),
  metrics('beta', 5, 0, { loss: 2 }),
  metrics('alpha', 15, 1, { loss: 1.5 }),
  metrics('beta', 20, 1, { loss: 2 }),
  metrics('alpha', 30, 2, { loss: 1.6 }),
  metrics('alpha', 45, 3, { loss: 1.7 }),
  metrics('alpha', 60, 4, { loss: 0.9 }),
  metrics('alpha', 75, 5, { loss: 1.2 }),
  state('beta', 100, 'failed'),
];

/** The hand-made automations and events written to a temp dir. */
export function handMade(t: ReturnType<typeof tempDir>, events: readonly (string | object)[] = EVENTS) {
  return {
    automations: writeJson(t.path('automations.json'), AUTOMATIONS),
    events: writeLines(t.path('events.jsonl'), events),
  };
}
