import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * vitest globalSetup: the run gets a temp folder of its own (TMPDIR, inherited by the test workers and the
 * processes they start), and fails if a test left anything in it. A folder per run, so suites running at the
 * same time on the machine never see each other's files.
 */
export default function setup(): () => void {
  const outer = process.env['TMPDIR'];
  const dir = mkdtempSync(join(tmpdir(), 'mla-test-run-'));
  process.env['TMPDIR'] = dir;
  // tsx, which some tests start, would otherwise keep its compile cache (tsx-<uid>) in the run's folder.
  const outerCache = process.env['TSX_DISABLE_CACHE'];
  process.env['TSX_DISABLE_CACHE'] = '1';
  return () => {
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true, force: true });
    if (outer === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = outer;
    if (outerCache === undefined) delete process.env['TSX_DISABLE_CACHE'];
    else process.env['TSX_DISABLE_CACHE'] = outerCache;
    if (left.length > 0) {
      // vitest only logs a teardown's error, so the exit code is set here.
      process.exitCode = 1;
      throw new Error(
        `tests left ${left.length} entries in their temp folder (remove them in afterEach/finally): ${left.join(', ')}`,
      );
    }
  };
}
