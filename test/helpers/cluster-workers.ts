import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clusterStatus } from '../../src/cluster/index.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'cluster-worker-process.ts');

export interface WorkerProcess {
  readonly id: string;
  readonly child: ChildProcess;
  /** stderr so far: the worker's issues. */
  readonly log: string[];
}

/** Start a worker process and wait for it to say it joined. */
export async function startWorker(nats: string, id: string, unfenced = false): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SCRIPT, nats, id, ...(unfenced ? ['--unfenced'] : [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log: string[] = [];
  child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`worker ${id} exited (${code}) before joining: ${log.join('')}`)),
    );
  });
  return { id, child, log };
}

export const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once('exit', () => r()));

/** SIGTERM (a graceful hand-back) or SIGKILL, and wait for the exit. */
export async function stopWorker(w: WorkerProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (w.child.signalCode === 'SIGSTOP') w.child.kill('SIGCONT');
  w.child.kill(signal);
  await exited(w.child);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Wait until every partition is owned and its owner has applied its whole event subject, twice in a row; fails
 * after `timeoutMs` with the last status.
 */
export async function waitCaughtUp(
  nats: string | readonly string[],
  timeoutMs: number,
  owners?: readonly string[],
): Promise<void> {
  const end = Date.now() + timeoutMs;
  let streak = 0;
  let last = '';
  while (Date.now() < end) {
    const s = await clusterStatus({ nats });
    const done = s.byPartition.every(
      (p) =>
        p.owner !== undefined &&
        p.applied === p.lastSeq &&
        (owners === undefined || owners.includes(p.owner)),
    );
    streak = done ? streak + 1 : 0;
    if (streak >= 2) return;
    last = JSON.stringify(
      s.byPartition.filter((p) => p.owner === undefined || p.applied !== p.lastSeq).slice(0, 4),
    );
    await sleep(300);
  }
  throw new Error(`the cluster did not catch up in ${timeoutMs} ms: ${last}`);
}
