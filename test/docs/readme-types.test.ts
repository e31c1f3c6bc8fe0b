import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import ts from 'typescript';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { codeBlocks } from './markdown.js';

// Every ```ts block of the README, each a module of its own, type-checks against the package as it is published:
// its declarations are built here with the project's tsup config, into a temp node_modules/ml-automations.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const BLOCKS = codeBlocks(README).filter((b) => b.lang === 'ts' || b.lang === 'typescript');

let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mla-readme-'));
  const pkg = join(dir, 'node_modules', 'ml-automations');
  mkdirSync(pkg, { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  const config = (await import('../../tsup.config.js')).default;
  const library = Array.isArray(config) ? config[0] : undefined;
  if (library === undefined || typeof library !== 'object')
    throw new Error('tsup.config.ts: no library build');
  await build({
    ...library,
    config: false,
    format: ['esm'],
    dts: { only: true },
    outDir: join(pkg, 'dist'),
    clean: false,
    silent: true,
  });
  // The package's dependencies, as an installing project would have them beside it.
  const { dependencies = {} } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  // A scoped package (@nats-io/…) is linked with its whole scope folder, as @types is.
  const scopes = Object.keys(dependencies).map((name) =>
    name.startsWith('@') ? (name.split('/')[0] as string) : name,
  );
  for (const name of new Set([...scopes, '@types'])) {
    symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
}, 180_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

it('the README has TypeScript blocks to check', () => {
  expect(BLOCKS.length).toBeGreaterThan(5);
});

it('every ```ts block of the README compiles, strict, against the built package', () => {
  const files = BLOCKS.map((block, i) => {
    const file = join(dir, `block-${String(i + 1).padStart(2, '0')}.ts`);
    // `export {}` keeps each block a module of its own, as in a user's file.
    writeFileSync(file, `${block.code}\nexport {};\n`);
    return { file, block };
  });
  const program = ts.createProgram(
    files.map((f) => f.file),
    {
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts'],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      typeRoots: [join(dir, 'node_modules', '@types')],
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      skipLibCheck: true,
      noEmit: true,
    },
  );
  const errors = ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const at = files.find((f) => f.file === d.file?.fileName);
    if (d.file === undefined || d.start === undefined) return `TS${d.code}: ${message}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const where = at
      ? `README.md:${at.block.line + line}:${character + 1}`
      : `${d.file.fileName}:${line + 1}`;
    return `${where} TS${d.code}: ${message}`;
  });
  expect(errors).toEqual([]);
});
