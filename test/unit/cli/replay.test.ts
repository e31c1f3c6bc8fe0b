import { once } from 'node:events';
import { createWriteStream, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUTOMATIONS,
  cli,
  EVENTS,
  handMade,
  metrics,
  SEC,
  state,
  T0,
  tempDir,
  writeJson,
  writeLines,
} from './cli-fixture.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

const iso = (sec: number): string => new Date(T0 + sec * SEC).toISOString().replace('.000Z', 'Z');

type JsonOut = {
  events: Record<string, unknown>;
  automations: {
    name: string;
    firings: number;
    suppressed: number;
    firstFiring?: string;
    lastFiring?: string;
    runsAffected: number;
    runs: string[];
  }[];
  firings: { automation: string; time: string; run?: string; why: string; evidence?: { value: number } }[];
  problems: { line: number; kind: string; message: string }[];
  deliveries: { mode: string; byIntegration?: Record<string, number> };
};

async function json(args: string[], stdin?: string): Promise<JsonOut> {
  const run = await cli([...args, '--format', 'json'], stdin === undefined ? {} : { stdin });
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as JsonOut;
}

const byName = (out: JsonOut, name: string) => out.automations.find((a) => a.name === name);

describe('the summary, against input counted by hand', () => {
  it('firings, cooldown-suppressed matches, first and last firing, runs affected', async () => {
    const f = handMade(t);
    const out = await json(['replay', '-a', f.automations, '-e', f.events]);
    expect(byName(out, 'loss-high')).toEqual({
      id: expect.any(String),
      name: 'loss-high',
      firings: 3,
      suppressed: 3,
      firstFiring: iso(5),
      lastFiring: iso(75),
      runsAffected: 2,
      runs: ['beta', 'alpha'],
    });
    expect(byName(out, 'run-failed')).toMatchObject({
      firings: 1,
      suppressed: 0,
      firstFiring: iso(100),
      lastFiring: iso(100),
      runsAffected: 1,
      runs: ['beta'],
    });
    expect(out.firings.map((x) => [x.time, x.automation, x.run])).toEqual([
      [iso(5), 'loss-high', 'beta'],
      [iso(15), 'loss-high', 'alpha'],
      [iso(75), 'loss-high', 'alpha'],
      [iso(100), 'run-failed', 'beta'],
    ]);
    expect(out.firings[0]?.why).toBe('value 2 > 1');
    expect(out.firings[0]?.evidence?.value).toBe(2);
    expect(out.firings[3]?.why).toBe('failed');
    expect(out.events).toMatchObject({
      read: 9,
      accepted: 9,
      bad: 0,
      runs: 2,
      first: iso(0),
      last: iso(100),
    });
    expect(out.problems).toEqual([]);
  });

  it('records actions instead of sending them, per integration', async () => {
    const f = handMade(t);
    const out = await json(['replay', '-a', f.automations, '-e', f.events]);
    expect(out.deliveries).toEqual({ mode: 'recorded', byIntegration: { hooks: 1 } });
  });

  it('prints the same numbers as a table, then the firings with their evidence', async () => {
    const f = handMade(t);
    const run = await cli(['replay', '-a', f.automations, '-e', f.events]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const row = (name: string) => lines.find((l) => l.trimStart().startsWith(`${name} `) && /\d{4}-/.test(l));
    expect(
      row('loss-high')
        ?.split(/\s{2,}/)
        .slice(1),
    ).toEqual(['loss-high', '3', '3', iso(5), iso(75), '2: beta, alpha']);
    expect(run.stdout).toMatch(/Per automation\n/);
    expect(run.stdout).toMatch(/Firings\n/);
    expect(run.stdout).toContain('value 1.2 > 1');
    expect(run.stdout).toContain('recorded, not sent: hooks 1 (--deliver sends them)');
    expect(run.stdout.indexOf('Per automation')).toBeLessThan(run.stdout.indexOf('Firings\n'));
  });
});

describe('options', () => {
  it('--from and --to keep events in [from, to), on event time', async () => {
    const f = handMade(t);
    const out = await json([
      'replay',
      '-a',
      f.automations,
      '-e',
      f.events,
      '--from',
      iso(15),
      '--to',
      iso(75),
    ]);
    // Kept: alpha 15 (fires), beta 20 (fires: its match at 5 is out), alpha 30 and 45 (suppressed), alpha 60.
    expect(byName(out, 'loss-high')).toMatchObject({
      firings: 2,
      suppressed: 2,
      firstFiring: iso(15),
      lastFiring: iso(20),
    });
    expect(byName(out, 'run-failed')).toMatchObject({ firings: 0 });
    expect(out.events).toMatchObject({ read: 9, accepted: 5, outOfRange: 4 });
  });

  it('--from and --to take epoch ms and dates too', async () => {
    const f = handMade(t);
    const ms = await json(['replay', '-a', f.automations, '-e', f.events, '--from', String(T0 + 70 * SEC)]);
    expect(ms.events).toMatchObject({ accepted: 2, outOfRange: 7 });
    const day = await json(['replay', '-a', f.automations, '-e', f.events, '--to', '2026-03-01']);
    expect(day.events).toMatchObject({ accepted: 0, outOfRange: 9 });
  });

  it('--only replays the named automations only', async () => {
    const f = handMade(t);
    const out = await json(['replay', '-a', f.automations, '-e', f.events, '--only', 'run-failed']);
    expect(out.automations.map((a) => a.name)).toEqual(['run-failed']);
    expect(out.firings.map((x) => x.automation)).toEqual(['run-failed']);
    const both = await json([
      'replay',
      '-a',
      f.automations,
      '-e',
      f.events,
      '--only',
      'run-failed',
      '--only',
      'loss-high',
    ]);
    expect(both.automations).toHaveLength(2);
  });

  it('reads a single automation (not a list)', async () => {
    const automations = writeJson(t.path('one.json'), AUTOMATIONS[0]);
    const events = writeLines(t.path('events.jsonl'), EVENTS);
    const out = await json(['replay', '-a', automations, '-e', events]);
    expect(out.automations.map((a) => [a.name, a.firings])).toEqual([['loss-high', 3]]);
  });

  it('--format jsonl streams one record per firing, then one per automation, then the totals', async () => {
    const f = handMade(t);
    const run = await cli(['replay', '-a', f.automations, '-e', f.events, '--format', 'jsonl']);
    expect(run.code).toBe(0);
    const records = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; automation?: string; name?: string; accepted?: number });
    expect(records.map((r) => r.kind)).toEqual([
      'firing',
      'firing',
      'firing',
      'firing',
      'automation',
      'automation',
      'events',
    ]);
    expect(records[0]).toMatchObject({ kind: 'firing', automation: 'loss-high', time: iso(5), run: 'beta' });
    expect(records[4]).toMatchObject({ kind: 'automation', name: 'loss-high', firings: 3, suppressed: 3 });
    expect(records[6]).toMatchObject({ kind: 'events', accepted: 9 });
  });
});

describe('inputs', () => {
  it('gzip, by extension', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const events = writeLines(t.path('events.jsonl.gz'), EVENTS);
    const out = await json(['replay', '-a', automations, '-e', events]);
    expect(byName(out, 'loss-high')).toMatchObject({ firings: 3, suppressed: 3 });
  });

  it('stdin, as -', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const text = `${EVENTS.map((e) => JSON.stringify(e)).join('\n')}\n`;
    const out = await json(['replay', '-a', automations, '-e', '-'], text);
    expect(byName(out, 'loss-high')).toMatchObject({ firings: 3, suppressed: 3 });
    expect(out.events).toMatchObject({ source: 'stdin' });
  });

  it('a JSON array', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const events = writeJson(t.path('events.json'), EVENTS);
    const out = await json(['replay', '-a', automations, '-e', events]);
    expect(byName(out, 'loss-high')).toMatchObject({ firings: 3, suppressed: 3 });
    expect(byName(out, 'run-failed')).toMatchObject({ firings: 1 });
  });

  it('events without a time happen when the event before them did', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const { time: _, ...untimed } = metrics('alpha', 0, 6, { loss: 3 }) as { time: string };
    const events = writeLines(t.path('e.jsonl'), [...EVENTS, untimed]);
    const out = await json(['replay', '-a', automations, '-e', events]);
    // At 100 s, 25 s after alpha's firing at 75 s: suppressed, not fired.
    expect(byName(out, 'loss-high')).toMatchObject({ firings: 3, suppressed: 4 });
  });
});

describe('bad lines: reported with their line numbers, counted and skipped', () => {
  const lines = [
    EVENTS[0] as object,
    '{"specversion":"1.0","id":"cut',
    metrics('alpha', 5, 1, { loss: 'high' }, { id: 'bad-value' }),
    EVENTS[0] as object,
    metrics('alpha', 6, 0, { loss: 0.1 }, { id: 'late-step' }),
    ...EVENTS.slice(1),
  ];

  it('go to stderr as FILE:LINE: message, and the replay goes on (exit 0)', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const events = writeLines(t.path('events.jsonl'), lines);
    const run = await cli(['replay', '-a', automations, '-e', events]);
    expect(run.code).toBe(0);
    const problems = run.stderr.trim().split('\n');
    expect(problems).toEqual([
      expect.stringMatching(/events\.jsonl:2: not JSON \(.+\): \{"specversion":"1\.0","id":"cut$/),
      expect.stringMatching(
        /events\.jsonl:3: rejected: invalid_type data\.metrics\.loss: .* \(event bad-value\)$/,
      ),
      expect.stringMatching(
        /events\.jsonl:4: duplicate event alpha-m-0 \(its source and id were seen before\), ignored$/,
      ),
      expect.stringMatching(/events\.jsonl:5: out_of_order data\.step: step 0 is not after step 0 of loss/),
    ]);
    expect(run.stdout).toContain(
      'skipped      1 line not JSON, 1 event rejected, 1 duplicate, 1 stale value',
    );
  });

  it('are counted in JSON, and the good events give the same summary', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const events = writeLines(t.path('events.jsonl'), lines);
    const out = await json(['replay', '-a', automations, '-e', events]);
    expect(out.events).toMatchObject({
      read: 13,
      accepted: 10,
      notJson: 1,
      rejected: 1,
      duplicates: 1,
      stale: 1,
      bad: 2,
    });
    expect(out.problems.map((p) => [p.line, p.kind])).toEqual([
      [2, 'not_json'],
      [3, 'rejected'],
      [4, 'duplicate'],
      [5, 'stale'],
    ]);
    expect(byName(out, 'loss-high')).toMatchObject({ firings: 3, suppressed: 3 });
  });

  it('at most 20 are printed; the rest are counted', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const events = writeLines(t.path('events.jsonl'), [
      ...Array.from({ length: 25 }, (_, i) => `garbage ${i}`),
      ...EVENTS,
    ]);
    const run = await cli(['replay', '-a', automations, '-e', events]);
    expect(run.code).toBe(0);
    const stderr = run.stderr.trim().split('\n');
    expect(stderr).toHaveLength(21);
    expect(stderr[20]).toBe('… 5 more problems not shown (25 in all)');
  });

  it('exit 1 when nothing could be read', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const events = writeLines(t.path('events.jsonl'), ['nope', '{"also": "not an event"}', '[1, 2]']);
    const run = await cli(['replay', '-a', automations, '-e', events]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no event could be read from .*events\.jsonl/);
    // A file with no event at all is bad input too (replay-truth.test.ts).
    const empty = writeLines(t.path('empty.jsonl'), []);
    expect((await cli(['replay', '-a', automations, '-e', empty])).code).toBe(1);
  });

  it('a corrupt gzip file is bad input (exit 1)', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const events = t.path('events.jsonl.gz');
    writeFileSync(events, 'this is not gzip');
    const run = await cli(['replay', '-a', automations, '-e', events]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot read .*events\.jsonl\.gz: .*header/);
  });
});

describe('a large file', () => {
  it('200,000 lines replay as a stream, with exact counts', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const path = t.path('large.jsonl');
    const out = createWriteStream(path);
    const RUNS = 100;
    const LINES = 200_000;
    for (let i = 0; i < LINES; i += 1000) {
      let block = '';
      for (let j = i; j < i + 1000; j++) {
        const run = `r${j % RUNS}`;
        const step = Math.floor(j / RUNS);
        // Every run's loss is above 1 at steps 1000 and 1001, 10 s apart: one firing and one suppressed match.
        const loss = step === 1000 || step === 1001 ? 2 : 0.5;
        block += `${JSON.stringify(metrics(run, j / 10, step, { loss }))}\n`;
      }
      if (!out.write(block)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'close');
    const result = await json(['replay', '-a', automations, '-e', path]);
    expect(result.events).toMatchObject({ read: LINES, accepted: LINES, runs: RUNS });
    expect(byName(result, 'loss-high')).toMatchObject({
      firings: RUNS,
      suppressed: RUNS,
      runsAffected: RUNS,
    });
  }, 120_000);
});

describe('a run state trigger through the summary', () => {
  it('counts a failure once, even when the state repeats', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const events = writeLines(t.path('e.jsonl'), [
      state('gamma', 0, 'running'),
      state('gamma', 10, 'failed'),
      state('gamma', 20, 'crashed'),
    ]);
    const out = await json(['replay', '-a', automations, '-e', events]);
    expect(byName(out, 'run-failed')).toMatchObject({ firings: 1, runsAffected: 1, runs: ['gamma'] });
  });
});
