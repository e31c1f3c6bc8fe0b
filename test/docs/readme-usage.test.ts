import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { codeBlocks } from './markdown.js';

// The README's Usage example, run as a newcomer would paste it, prints exactly the output shown below it.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function usage(): { code: string; output: string } {
  const start = README.indexOf('\n## Usage\n');
  const end = README.indexOf('\n## ', start + 1);
  const blocks = codeBlocks(README.slice(start, end));
  const code = blocks.find((b) => b.lang === 'ts')?.code;
  const output = blocks.find((b) => b.lang === 'text')?.code;
  if (code === undefined || output === undefined)
    throw new Error('README Usage: a ts block and a text block');
  return { code, output };
}

it("the README's Usage example prints a firing, exactly the output it shows", () => {
  const { code, output } = usage();
  const entry = (path: string): string => pathToFileURL(join(ROOT, path)).href;
  const program = code
    .replaceAll("from 'ml-automations/testing'", `from '${entry('src/testing/index.ts')}'`)
    .replaceAll("from 'ml-automations'", `from '${entry('src/index.ts')}'`);
  expect(program).not.toContain("'ml-automations");
  const dir = mkdtempSync(join(tmpdir(), 'mla-usage-'));
  try {
    const file = join(dir, 'usage.mts');
    writeFileSync(file, program);
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', file], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      // tsx keeps a transform cache in the temp folder: this test's own, removed below.
      env: { ...process.env, TMPDIR: dir, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    expect(stdout.trimEnd()).toBe(output.trimEnd());
    expect(output).toContain('fired: accuracy-alert');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
