// --limit and --quiet keep a long replay readable; --version says which package this is.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageVersion } from '../../../src/cli/package-version.js';
import { cli, handMade, metrics, tempDir, writeJson, writeLines } from './cli-fixture.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

/** loss > 1 with no cooldown: each of the 30 rows of one run fires. */
function thirtyFirings() {
  const automations = writeJson(t.path('a.json'), [
    {
      name: 'every-row',
      cooldownMs: 0,
      event: {
        type: 'OnRunMetric',
        scope: 'acme/vision',
        filter: { type: 'MetricThresholdFilter', name: 'loss', cmp: '>', threshold: 1 },
      },
      action: { type: 'DoNothing' },
    },
  ]);
  const events = writeLines(
    t.path('e.jsonl'),
    Array.from({ length: 30 }, (_, i) => metrics('alpha', i, i, { loss: 2 + i })),
  );
  return { automations, events };
}

const firingLines = (stdout: string): string[] =>
  stdout.split('\n').filter((l) => /^ {2}\d{4}-\d\d-\d\dT.*every-row/.test(l));

describe('--limit N', () => {
  it('the table lists the first N firings and says how many more there were; the summary stays', async () => {
    const f = thirtyFirings();
    const run = await cli(['replay', '-a', f.automations, '-e', f.events, '--limit', '5']);
    expect(run.code).toBe(0);
    expect(firingLines(run.stdout)).toHaveLength(5);
    expect(run.stdout).toContain('Firings: the first 5 of 30 (--limit 5)');
    expect(run.stdout).toContain('  … 25 more firings not listed (--limit 5)');
    expect(run.stdout).toMatch(/every-row +30 +0 /);
  });

  it('a limit above the count lists them all and says nothing more', async () => {
    const f = thirtyFirings();
    const run = await cli(['replay', '-a', f.automations, '-e', f.events, '-n', '100']);
    expect(firingLines(run.stdout)).toHaveLength(30);
    expect(run.stdout).toMatch(/\nFirings\n/);
    expect(run.stdout).not.toContain('not listed');
  });

  it('jsonl streams N firing records, and the totals say how many were left out', async () => {
    const f = thirtyFirings();
    const run = await cli(['replay', '-a', f.automations, '-e', f.events, '-f', 'jsonl', '--limit', '3']);
    const records = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; firings?: number; firingsLeftOut?: number });
    expect(records.map((r) => r.kind)).toEqual(['firing', 'firing', 'firing', 'automation', 'events']);
    expect(records[3]).toMatchObject({ firings: 30 });
    expect(records[4]).toMatchObject({ firings: 30, firingsLeftOut: 27 });
  });

  it('json lists N firings, and says how many were left out', async () => {
    const f = thirtyFirings();
    const run = await cli(['replay', '-a', f.automations, '-e', f.events, '-f', 'json', '--limit', '2']);
    const out = JSON.parse(run.stdout) as { firings: unknown[]; events: Record<string, unknown> };
    expect(out.firings).toHaveLength(2);
    expect(out.events).toMatchObject({ firings: 30, firingsLeftOut: 28 });
  });

  it('without a limit nothing is said about left-out firings', async () => {
    const f = thirtyFirings();
    const run = await cli(['replay', '-a', f.automations, '-e', f.events, '-f', 'json']);
    const out = JSON.parse(run.stdout) as { firings: unknown[]; events: Record<string, unknown> };
    expect(out.firings).toHaveLength(30);
    expect(out.events).not.toHaveProperty('firingsLeftOut');
  });

  it('the report still lists every firing', async () => {
    const f = thirtyFirings();
    const report = t.path('r.html');
    await cli(['replay', '-a', f.automations, '-e', f.events, '--limit', '1', '--report', report]);
    const html = readFileSync(report, 'utf8');
    expect(html.match(/<tbody>[\s\S]*?<\/tbody>/g)?.[1]?.match(/<tr>/g)).toHaveLength(30);
  });

  it.each([['-1'], ['ten'], ['1.5'], ['']])('--limit %j is a usage error (exit 2)', async (value) => {
    const f = handMade(t);
    const run = await cli(['replay', '-a', f.automations, '-e', f.events, '--limit', value]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--limit');
  });
});

describe('--quiet', () => {
  it('lists no firing: the summary only', async () => {
    const f = thirtyFirings();
    const run = await cli(['replay', '-a', f.automations, '-e', f.events, '--quiet']);
    expect(run.code).toBe(0);
    expect(firingLines(run.stdout)).toEqual([]);
    expect(run.stdout).toContain('Firings: 30, not listed (--quiet)');
    expect(run.stdout).toContain('Per automation');
  });

  it('with jsonl, streams no firing record', async () => {
    const f = thirtyFirings();
    const run = await cli(['replay', '-a', f.automations, '-e', f.events, '-q', '-f', 'jsonl']);
    const kinds = run.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds).toEqual(['automation', 'events']);
  });

  it('and --limit together are a usage error', async () => {
    const f = handMade(t);
    const run = await cli(['replay', '-a', f.automations, '-e', f.events, '-q', '--limit', '3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--quiet and --limit: give one of them');
  });
});

describe('--version', () => {
  const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };

  it.each([[['--version']], [['replay', '--version']]])('%j prints the package version', async (args) => {
    const run = await cli(args);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
    expect(run.stderr).toBe('');
  });

  it('is found from the bundled bin too: dist/cli/main.js, two folders below package.json', () => {
    const root = t.path('pkg');
    mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'ml-automations', version: '9.8.7' }));
    // A package.json of another package in between is passed over.
    writeFileSync(join(root, 'dist', 'package.json'), JSON.stringify({ type: 'module' }));
    expect(packageVersion(pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href)).toBe('9.8.7');
  });
});
