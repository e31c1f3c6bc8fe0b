import { readdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const DIGITS = /^[0-9]+$/;

/**
 * Remove the temporary files a FileStateStore for `path` left behind when its process was killed mid-write:
 * only `<name>.<pid>.<n>.tmp` beside the file, and only of a process that is gone (or this one, since a
 * restarted service often gets its old pid back). A live writer's file is left alone. Best effort: a file
 * that cannot be listed or removed is skipped.
 */
export function sweepTempFiles(path: string): void {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const parts = entry.slice(prefix.length, -'.tmp'.length).split('.');
    const [pidText, n] = parts;
    if (parts.length !== 2 || pidText === undefined || n === undefined) continue;
    if (!DIGITS.test(pidText) || !DIGITS.test(n)) continue;
    const pid = Number(pidText);
    if (pid <= 0 || (pid !== process.pid && isAlive(pid))) continue;
    try {
      unlinkSync(join(dir, entry));
    } catch {
      // Gone already, or not ours to remove: either way nothing to do.
    }
  }
}

/** Signal 0 tests for a process without touching it; EPERM means it exists but belongs to someone else. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
