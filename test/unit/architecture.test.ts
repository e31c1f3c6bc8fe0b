import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative imports of each source file, resolved to files (type-only imports included: a cycle of types is still a tangle). */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of files(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/from '(\.[^']+)\.js'/g)].map((m) =>
      resolve(dirname(file), `${m[1]}.ts`),
    );
    g.set(file, targets);
  }
  return g;
}

it('src has no import cycles', () => {
  const g = graph();
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const next of g.get(file) ?? []) visit(next, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of g.keys()) visit(file, []);
  expect(cycles).toEqual([]);
});

it('every relative import points at a file that exists', () => {
  const g = graph();
  const missing = [...g.entries()].flatMap(([file, targets]) =>
    targets.filter((t) => !g.has(t)).map((t) => `${relative(SRC, file)} → ${relative(SRC, t)}`),
  );
  expect(missing).toEqual([]);
});

/**
 * The folders of src/, top to bottom (STYLE.md, docs/architecture.md). A file imports only from its own folder or
 * from a folder below it; the shells on top (cli, server, cluster) reach the library through its public entry,
 * `src/index.ts`, which sits just under them.
 */
const FOLDER_ORDER = [
  'cli',
  'server',
  'cluster',
  'index.ts',
  'testing',
  'engine',
  'management',
  'sinks',
  'core',
  'routing',
  'filters',
  'state',
  'windows',
  'match',
  'events',
  'definitions',
  'schema',
  'clock',
  'errors',
] as const;

/** The top-level folder (or root file) of a path in src/. */
function layerOf(file: string): string {
  return relative(SRC, file).split(/[\\/]/)[0] as string;
}

it('every folder of src/ has its place in the order', () => {
  const layers = new Set([...graph().keys()].map(layerOf));
  expect([...layers].filter((l) => !(FOLDER_ORDER as readonly string[]).includes(l))).toEqual([]);
});

it('folders import only folders below them: no folder cycles', () => {
  const rank = (layer: string) => (FOLDER_ORDER as readonly string[]).indexOf(layer);
  const upward = [...graph().entries()].flatMap(([file, targets]) =>
    targets
      .filter((t) => layerOf(t) !== layerOf(file) && rank(layerOf(t)) < rank(layerOf(file)))
      .map((t) => `${relative(SRC, file)} → ${relative(SRC, t)}`),
  );
  expect(upward).toEqual([]);
});
