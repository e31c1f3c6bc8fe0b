// The replay's summary says what was in the file: distinct runs, an empty file, a gzip file that breaks off.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTOMATIONS, cli, EVENTS, metrics, state, tempDir, writeJson, writeLines } from './cli-fixture.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

/** `runs` runs a minute apart, each logging 10 rows and finishing: the engine releases most before the end. */
function finishedRuns(runs: number): object[] {
  const events: object[] = [];
  for (let r = 0; r < runs; r++) {
    for (let step = 0; step < 10; step++)
      events.push(metrics(`r${r}`, r * 60 + step / 10, step, { loss: 0.5 }));
    events.push(state(`r${r}`, r * 60 + 1, 'finished'));
  }
  return events;
}

type EventsRecord = { runs: number; runsEstimated?: boolean; accepted: number; read: number };

describe('the run count', () => {
  it('is the number of distinct runs replayed, not the runs the engine still holds', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const events = writeLines(t.path('e.jsonl'), finishedRuns(2000));
    const run = await cli(['replay', '-a', automations, '-e', events, '--format', 'json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { events: EventsRecord };
    expect(out.events).toMatchObject({ read: 22_000, accepted: 22_000, runs: 2000 });
    expect(out.events.runsEstimated).toBeUndefined();
    const table = await cli(['replay', '-a', automations, '-e', events]);
    expect(table.stdout).toMatch(/events +22,000 read, 22,000 replayed on event time, .*; 2,000 runs\n/);
  }, 60_000);

  it('counts a run once across metrics and state events, and only for accepted events', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const events = writeLines(t.path('e.jsonl'), [
      ...EVENTS,
      // The same run id in another project is another run.
      metrics('alpha', 110, 0, { loss: 0.1 }, { project: 'audio', id: 'alpha-audio' }),
      // Rejected and out of range events bring no run.
      metrics('gamma', 120, 0, { loss: 'high' }),
      metrics('delta', 999_999, 0, { loss: 0.1 }),
    ]);
    const run = await cli([
      'replay',
      '-a',
      automations,
      '-e',
      events,
      '--format',
      'json',
      '--to',
      '2026-03-02',
    ]);
    expect((JSON.parse(run.stdout) as { events: EventsRecord }).events.runs).toBe(3);
  });
});

describe('an events file with no event', () => {
  it.each([
    ['an empty file', ''],
    ['blank lines only', '\n  \n\n'],
    ['an empty JSON array', '[]\n'],
  ])('%s exits 1, after the summary', async (_, text) => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const events = t.path('events.jsonl');
    writeFileSync(events, text);
    const run = await cli(['replay', '-a', automations, '-e', events]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/events +0 read, 0 replayed/);
    expect(run.stderr).toMatch(/no event in .*events\.jsonl: nothing to replay/);
  });

  it('an empty stdin exits 1 too', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const run = await cli(['replay', '-a', automations, '-e', '-'], { stdin: '' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no event in stdin/);
  });

  it('events all outside --from/--to were read: exit 0', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const events = writeLines(t.path('e.jsonl'), EVENTS);
    const run = await cli(['replay', '-a', automations, '-e', events, '--to', '2026-03-01']);
    expect(run.code).toBe(0);
  });
});

describe('a gzip file that breaks off', () => {
  const text = `${Array.from({ length: 5000 }, (_, i) =>
    JSON.stringify(metrics(`r${i % 50}`, i, Math.floor(i / 50), { loss: (i * 7919) % 1000 })),
  ).join('\n')}\n`;

  it('prints the summary of what was read, then exits 1 with the byte offset', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const gz = gzipSync(text);
    const cut = Math.floor(gz.length / 2);
    const events = t.path('events.jsonl.gz');
    writeFileSync(events, gz.subarray(0, cut));
    const run = await cli(['replay', '-a', automations, '-e', events, '--format', 'json']);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as { events: EventsRecord };
    expect(out.events.accepted).toBeGreaterThan(500);
    expect(out.events.accepted).toBeLessThan(5000);
    expect(out.events.read).toBe(out.events.accepted);
    expect(run.stderr).toContain(
      `events.jsonl.gz is cut short: the gzip data ends at byte ${cut.toLocaleString('en-US')} (unexpected end of file)`,
    );
    expect(run.stderr).toMatch(/the summary covers the [\d,]+ lines before it/);
  });

  it('corrupt gzip data after some events: the summary, then where it broke, exit 1', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const gz = Buffer.from(gzipSync(text));
    for (let i = Math.floor(gz.length * 0.6); i < Math.floor(gz.length * 0.6) + 64; i++)
      gz[i] = (gz[i] ?? 0) ^ 0x5a;
    const events = t.path('events.jsonl.gz');
    writeFileSync(events, gz);
    const run = await cli(['replay', '-a', automations, '-e', events, '--format', 'json']);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as {
      events: EventsRecord & { brokeAt: { byte: number; line: number } };
    };
    expect(out.events.accepted).toBeGreaterThan(0);
    expect(out.events.brokeAt.line).toBe(out.events.read);
    expect(run.stderr).toMatch(
      /events\.jsonl\.gz is corrupt: the gzip data breaks after byte [\d,]+ \(.+\); the summary/,
    );
  });

  it('the table summary too', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const gz = gzipSync(text);
    const events = t.path('events.jsonl.gz');
    writeFileSync(events, gz.subarray(0, gz.length - 100));
    const run = await cli(['replay', '-a', automations, '-e', events]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ml-automations replay: .*events\.jsonl\.gz through/);
    expect(run.stdout).toContain('Per automation');
    expect(run.stderr).toMatch(/cut short: the gzip data ends at byte [\d,]+/);
  });
});

describe('progress on a .gz file', () => {
  it('shows the unpacked text and the share of the compressed file, not compressed bytes as data', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    // Random padding barely compresses, so the .gz passes the 4 MiB at which the bar is drawn.
    const lines: object[] = [];
    for (let i = 0; i < 20_000; i++)
      lines.push({ ...metrics(`r${i % 20}`, i, Math.floor(i / 20), { loss: 0.5 }), pad: randomText(320) });
    const events = writeLines(t.path('big.jsonl.gz'), lines);
    const run = await cli(['replay', '-a', automations, '-e', events, '-q'], { tty: true });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/ {2}\d+% {2}\d+\.\d MB unpacked \(\d+\.\d\/\d+\.\d MB gz\) {2}/);
    expect(run.stderr).not.toMatch(/\d MB {2}/);
  }, 60_000);
});

function randomText(length: number): string {
  return randomBytes(length).toString('base64').slice(0, length);
}
