// `replay --threads`: the command end to end, the thread a line belongs to, and what it refuses.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ownerOfEvent, ownerOfLine } from '../../../src/cli/threads/line-owner.js';
import { autoThreads } from '../../../src/cli/threads/replay-threads.js';
import { partitionKey, partitionOf } from '../../../src/index.js';
import {
  AUTOMATIONS,
  cli,
  EVENTS,
  handMade,
  metrics,
  tempDir,
  writeJson,
  writeLines,
} from './cli-fixture.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

describe('replay --threads', () => {
  it('prints what one thread prints, when no event id is shared between runs', async () => {
    const { automations, events } = handMade(t, [...EVENTS, metrics('gamma', 120, 0, { loss: 3 })]);
    for (const format of ['table', 'json']) {
      const one = await cli(['replay', '-a', automations, '-e', events, '--format', format]);
      const two = await cli([
        'replay',
        '-a',
        automations,
        '-e',
        events,
        '--format',
        format,
        '--threads',
        '2',
      ]);
      expect(two).toEqual(one);
    }
  }, 60_000);

  it('streams jsonl firings as one thread does, once the shares are merged', async () => {
    const { automations, events } = handMade(t, [...EVENTS, metrics('gamma', 120, 0, { loss: 3 })]);
    for (const limit of [[], ['--limit', '2']]) {
      const args = ['replay', '-a', automations, '-e', events, '--format', 'jsonl', ...limit];
      const one = await cli(args);
      const two = await cli([...args, '--threads', '2']);
      expect(two).toEqual(one);
      expect(two.stdout).toContain('"kind":"firing"');
    }
  }, 60_000);

  it('says why it replays on one thread, with the same partitions', async () => {
    const { automations, events } = handMade(t);
    const gz = t.path('events.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(events)));
    const one = await cli(['replay', '-a', automations, '-e', gz]);
    const two = await cli(['replay', '-a', automations, '-e', gz, '-t', '2']);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(
      'ml-automations replay: on one thread, as 2 partitions: a gzipped file would be unpacked by every thread\n',
    );
  }, 60_000);

  it('writes the report one thread writes: each thread draws its own runs', async () => {
    const { automations, events } = handMade(t, [...EVENTS, metrics('gamma', 120, 0, { loss: 3 })]);
    const one = await cli(['replay', '-a', automations, '-e', events, '-r', t.path('one.html')]);
    const two = await cli(['replay', '-a', automations, '-e', events, '-r', t.path('two.html'), '-t', '2']);
    expect(two.stderr).toBe('');
    expect(two.stdout.replace('two.html', 'one.html')).toBe(one.stdout);
    expect(readFileSync(t.path('two.html'), 'utf8')).toBe(readFileSync(t.path('one.html'), 'utf8'));
  }, 60_000);

  it('writes the whole report when a thread gives up and the file is replayed on one thread', async () => {
    const last = EVENTS[EVENTS.length - 1] as object;
    // An event without a time, of a run whose partition is not the one of the line before it.
    const untimed = ['gamma', 'delta', 'epsilon', 'zeta', 'eta']
      .map((run) => {
        const { time: _, ...event } = metrics(run, 0, 9, { loss: 3 }) as Record<string, unknown>;
        return event;
      })
      .find((event) => partitionOf(partitionKey(event), 2) !== partitionOf(partitionKey(last), 2)) as object;
    const { automations, events } = handMade(t, [...EVENTS, untimed]);
    const one = await cli(['replay', '-a', automations, '-e', events, '-r', t.path('one.html')]);
    const two = await cli(['replay', '-a', automations, '-e', events, '-r', t.path('two.html'), '-t', '2']);
    expect(two.stderr).toBe(
      `ml-automations replay: on one thread, as 2 partitions: line ${EVENTS.length + 1} has no time, and the line before it was replayed elsewhere\n`,
    );
    expect(two.stdout.replace('two.html', 'one.html')).toBe(one.stdout);
    expect(readFileSync(t.path('two.html'), 'utf8')).toBe(readFileSync(t.path('one.html'), 'utf8'));
  }, 60_000);

  it('shows the first problems and counts them all, as on one thread', async () => {
    const automations = writeJson(t.path('a.json'), AUTOMATIONS);
    const bad = Array.from({ length: 30 }, (_, i) => `{"broken ${i}`);
    const events = writeLines(t.path('e.jsonl'), [...EVENTS, ...bad]);
    const one = await cli(['replay', '-a', automations, '-e', events, '-q']);
    const two = await cli(['replay', '-a', automations, '-e', events, '-q', '--threads', '2']);
    expect(two).toEqual(one);
    expect(two.stderr).toMatch(/… 10 more problems not shown \(30 in all\)\n$/);
  }, 60_000);

  it('takes auto or a whole number from 1 to 64', async () => {
    const { automations, events } = handMade(t);
    for (const bad of ['0', '65', '1.5', 'two']) {
      const run = await cli(['replay', '-a', automations, '-e', events, '--threads', bad]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--threads ${bad}: expected auto or a whole number from 1 to 64`);
    }
    expect((await cli(['replay', '-a', automations, '-e', events, '--threads', 'auto', '-q'])).code).toBe(0);
  }, 60_000);

  it('auto replays a file under 256 MiB (64 MiB with a report) on one thread, with a partition a core, and says so', async () => {
    const { automations, events } = handMade(t);
    const cores = autoThreads();
    const auto = await cli(['replay', '-a', automations, '-e', events, '--threads', 'auto']);
    const same = await cli(['replay', '-a', automations, '-e', events, '--threads', String(cores)]);
    expect(auto.stdout).toBe(same.stdout);
    const why = (mib: number) =>
      cores === 1
        ? ''
        : `ml-automations replay: on one thread, as ${cores} partitions: the file is under ${mib} MiB, where threads start slower than they help\n`;
    expect(auto.stderr).toBe(why(256));
    const report = await cli([
      'replay',
      '-a',
      automations,
      '-e',
      events,
      '-t',
      'auto',
      '-r',
      t.path('r.html'),
    ]);
    expect(report.stderr).toBe(why(64));
  }, 60_000);
});

/** The partition the engine routes an event to; one without a key (refused) counts as partition 0's. */
function routed(event: unknown, n: number): number {
  try {
    return partitionOf(partitionKey(event), n);
  } catch {
    return 0;
  }
}

describe('the thread a line belongs to', () => {
  const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 });
  const event = fc.record({
    type: fc.constantFrom('run.metrics', 'run.state', 'run.updated', 'artifact.created', 'com.example'),
    entity: name,
    project: name,
    runId: name,
    first: fc.boolean(),
  });

  it('is the partition the engine routes the parsed line to, whenever the bytes name one', () => {
    let named = 0;
    fc.assert(
      fc.property(event, fc.integer({ min: 1, max: 9 }), ({ type, entity, project, runId, first }, n) => {
        const data = first
          ? { entity, project, runId, metrics: {} }
          : { metrics: {}, runId, project, entity };
        const text = JSON.stringify({ specversion: '1.0', id: 'e', source: '/s', type, data });
        const bytes = Buffer.from(`x\n${text}\ny`);
        const owner = ownerOfLine(bytes, 2, 2 + Buffer.byteLength(text), n);
        const parsed: unknown = JSON.parse(text);
        expect(ownerOfEvent(parsed, n)).toBe(routed(parsed, n));
        if (owner < 0) return;
        named += 1;
        expect(type.startsWith('run.')).toBe(true);
        expect(owner).toBe(ownerOfEvent(parsed, n));
      }),
      { numRuns: 500 },
    );
    expect(named).toBeGreaterThan(100);
  });

  it('is not named by bytes that escape a character or leave a part empty', () => {
    const line = (runId: string) =>
      Buffer.from(
        `{"type":"run.metrics","data":{"entity":"a","project":"b","runId":${JSON.stringify(runId)}}}`,
      );
    const ok = line('r1');
    expect(ownerOfLine(ok, 0, ok.length, 4)).toBe(partitionOf(partitionKey(JSON.parse(ok.toString())), 4));
    for (const runId of ['', 'a"b', 'tab\there', 'back\\slash']) {
      const bytes = line(runId);
      expect(ownerOfLine(bytes, 0, bytes.length, 4)).toBe(-1);
    }
    // An event without a key goes to partition 0, where the engine refuses it.
    expect(ownerOfEvent({ type: 'run.metrics', data: {} }, 4)).toBe(0);
  });
});
