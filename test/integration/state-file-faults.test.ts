import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, FileStateStore } from '../../src/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WRITER = join(ROOT, 'test/helpers/checkpoint-writer.ts');
const temps = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

let dirs: string[] = [];
let children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children = [];
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'mla-faults-'));
  dirs.push(d);
  return d;
};

/** Start a writer checkpointing back to back; resolves once it has saved `saves` times. */
function startWriter(path: string, saves: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, 'loop', path], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolveStarted, reject) => {
    let seen = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l.startsWith('saved')).length;
      if (seen >= saves) resolveStarted(child);
    });
    child.once('exit', (code, signal) => reject(new Error(`writer exited early: ${code ?? signal}`)));
  });
}

/** SIGKILL the writer the moment a temp file of its appears in `dir`: mid-write, as a crash would find it. */
const killMidWrite = (child: ChildProcess, dir: string): Promise<void> =>
  new Promise((r) => {
    const watcher = watch(dir, (_event, name) => {
      if (name?.endsWith('.tmp') === true && existsSync(join(dir, name))) child.kill('SIGKILL');
    });
    child.once('exit', () => {
      watcher.close();
      r();
    });
  });

/** Unprivileged mounts need user namespaces: where `unshare` cannot make one, the tmpfs test is skipped. */
const canMountTmpfs =
  process.platform === 'linux' &&
  spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /tmp'], { stdio: 'ignore' })
    .status === 0;

describe('the state file under kill -9 and a full disk (child processes)', () => {
  it('kill -9 during checkpoints: reopening sweeps the writer’s temp files and loads the last state', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.json');
    let left = 0;
    // A kill can land just after the rename: try again until one leaves a temp file behind (nearly all do).
    for (let i = 0; i < 10 && left === 0; i++) {
      const child = await startWriter(path, 1);
      await killMidWrite(child, dir);
      left = temps(dir).length;
    }
    expect(left).toBeGreaterThan(0);
    const store = new FileStateStore(path);
    expect(temps(dir)).toEqual([]);
    const engine = createEngine({ store });
    expect(engine.list()).toHaveLength(500);
    expect(engine.stats().accepted).toBeGreaterThan(0);
    await engine.close();
    expect(readdirSync(dir)).toEqual(['state.json']);
  }, 60_000);

  it.skipIf(!canMountTmpfs)(
    'a full disk (a 256 KiB tmpfs): the failed write leaves no temp file, and once space is freed the next checkpoint succeeds',
    () => {
      const dir = tempDir();
      const script = `mount -t tmpfs -o size=256k tmpfs "$1" && exec "$2" --import tsx "$3" full "$1"`;
      const child = spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', dir, process.execPath, WRITER], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(child.stderr).toBe('');
      expect(JSON.parse(child.stdout)).toEqual({
        failure: 'ENOSPC',
        afterFailure: ['state.json'],
        retry: 'saved',
        afterRetry: ['state.json'],
        loaded: ['keep'],
      });
    },
    60_000,
  );
});
