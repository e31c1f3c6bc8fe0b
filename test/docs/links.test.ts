import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { anchors, links } from './markdown.js';

// Every link of README.md and docs/*.md resolves inside the repository and inside the published package: a reader
// of the package on npm, or of an unpacked tarball, finds every page and image the README points at.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The files `npm pack` would publish, as npm itself lists them. */
function packed(): Set<string> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  return new Set((pack?.files ?? []).map((f) => f.path));
}

it('README.md links to the spec and the licence, which ship with the package', () => {
  const files = packed();
  for (const f of ['README.md', 'LICENSE', 'docs/semantics.md', 'package.json']) expect(files).toContain(f);
  const targets = links(readFileSync(join(ROOT, 'README.md'), 'utf8')).map((l) => l.target);
  expect(targets).toContain('docs/semantics.md');
});

it('every link in README.md and docs/*.md is relative, exists, and is in the packed files', () => {
  const files = packed();
  const problems: string[] = [];
  for (const doc of DOCS) {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    for (const { target, line } of links(text)) {
      const at = `${doc}:${line}: ${target}`;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//') || target.startsWith('www.')) {
        problems.push(`${at}: points outside the repository (name it in plain text instead)`);
        continue;
      }
      const [path = '', anchor] = target.split('#', 2);
      const file =
        path === '' ? join(ROOT, doc) : resolve(dirname(join(ROOT, doc)), decodeURIComponent(path));
      const inRepo = relative(ROOT, file);
      if (path.startsWith('/') || inRepo.startsWith('..') || inRepo === '') {
        problems.push(`${at}: not a relative path inside the repository`);
        continue;
      }
      if (!existsSync(file)) {
        problems.push(`${at}: no such file`);
        continue;
      }
      if (!files.has(inRepo.split(sep).join('/'))) problems.push(`${at}: not in the published package`);
      if (anchor !== undefined && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor)) {
        problems.push(`${at}: no heading with that anchor`);
      }
    }
  }
  expect(problems).toEqual([]);
});
