// A replay on threads (`--threads N`) gives exactly what one engine with N partitions gives on one thread: the
// same firings in the same order, the same tallies, counts, problems, runs and engine figures.
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { replay } from '../../src/cli/replay.js';
import type { ReplayOptions, ReplayResult } from '../../src/cli/replay-types.js';
import { ReportCollector } from '../../src/cli/report/collector.js';
import { replayInThreads } from '../../src/cli/threads/replay-threads.js';
import { partitionOf, runKey } from '../../src/core/partition-key.js';
import type { NewAutomation } from '../../src/index.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);
const T0 = Date.parse('2026-03-01T10:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'mla-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// As the command reads them from a file: JSON, whose scopes are text.
const AUTOMATIONS = [
  {
    name: 'loss-high',
    cooldownMs: 30_000,
    event: {
      type: 'OnRunMetric',
      scope: 'acme',
      filter: { type: 'MetricThresholdFilter', name: 'loss', window: 2, agg: 'mean', cmp: '>', threshold: 1 },
    },
    action: { type: 'SendWebhook', integration: 'hooks' },
  },
  {
    name: 'acc-drop',
    event: {
      type: 'OnRunMetric',
      scope: 'acme/vision',
      filter: {
        type: 'MetricChangeFilter',
        name: 'acc',
        agg: 'mean',
        currentWindow: 1,
        priorWindow: 2,
        changeType: 'absolute',
        direction: 'decrease',
        amount: 0.2,
      },
      runFilter: { runName: '^r[0-2]' },
    },
    action: { type: 'DoNothing' },
  },
  {
    name: 'failed',
    event: { type: 'OnRunState', scope: 'acme', states: ['failed'] },
    action: { type: 'DoNothing' },
  },
] as unknown as NewAutomation[];

const RUNS = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'ü-6'];
const PROJECTS = ['vision', 'audio'];

/** One line of the file: an event (written in one of several ways) or a line that is no event. */
const line = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constantFrom('metrics', 'metrics', 'metrics', 'state'),
      run: fc.constantFrom(...RUNS),
      project: fc.constantFrom(...PROJECTS),
      /** Seconds after the line before (negative: out of order), or no time at all. */
      dt: fc.option(fc.integer({ min: -20, max: 60 }), { nil: undefined, freq: 8 }),
      step: fc.nat({ max: 30 }),
      loss: fc.oneof(fc.double({ min: 0, max: 3, noNaN: true }), fc.constant('NaN')),
      acc: fc.double({ min: 0, max: 1, noNaN: true }),
      /** An id some other line may have too: a duplicate, in its run or in another. */
      id: fc.nat({ max: 40 }),
      state: fc.constantFrom('running', 'finished', 'failed'),
      /** How the line is written: compact, with spaces (the bytes name no run plainly), metrics first. */
      style: fc.constantFrom('compact', 'compact', 'compact', 'spaced', 'metricsFirst'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('{"type":"run.metrics", broken', '', '   ', '[1,2]', '{"id":"x"}'),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ id: fc.nat({ max: 5 }), dt: fc.integer({ min: 0, max: 10 }) })
      .map(({ id, dt }) => ({
        foreign: { specversion: '1.0', id: `f${id}`, source: '/elsewhere', type: 'com.example.other', dt },
      })),
  },
);

type Line = typeof line extends fc.Arbitrary<infer L> ? L : never;

/** The line with a time and its run named first, if it is an event of a run. */
function plainly(l: Line): Line {
  if (typeof l === 'string' || 'foreign' in l) return l;
  return { ...l, dt: l.dt ?? 0, style: l.style === 'metricsFirst' ? 'compact' : l.style };
}

function write(lines: readonly Line[]): string {
  let sec = 0;
  const text = lines.map((l) => {
    if (typeof l === 'string') return l;
    if ('foreign' in l) {
      const { dt, ...event } = l.foreign;
      sec += dt;
      return JSON.stringify({ ...event, time: new Date(T0 + sec * 1000).toISOString() });
    }
    if (l.dt !== undefined) sec = Math.max(0, sec + l.dt);
    const time = l.dt === undefined ? {} : { time: new Date(T0 + sec * 1000).toISOString() };
    const base = { specversion: '1.0', id: `e${l.id}`, source: '/acme', ...time };
    const where = { entity: 'acme', project: l.project, runId: l.run, runName: l.run };
    const event =
      l.kind === 'state'
        ? { ...base, type: 'run.state', data: { ...where, state: l.state } }
        : l.style === 'metricsFirst'
          ? // A metric named runId comes before the run's own: the bytes point at another run.
            {
              ...base,
              type: 'run.metrics',
              data: { metrics: { runId: 'NaN', loss: l.loss }, ...where, step: l.step },
            }
          : {
              ...base,
              type: 'run.metrics',
              data: { ...where, step: l.step, metrics: { loss: l.loss, acc: l.acc } },
            };
    const json = JSON.stringify(event);
    return l.style === 'spaced' ? json.replaceAll('":"', '": "') : json;
  });
  const path = join(dir, `events-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(path, `${text.join('\n')}\n`);
  return path;
}

const options = (partitions: number): ReplayOptions => ({
  automations: AUTOMATIONS,
  slimFirings: true,
  problemLimit: 5,
  keepFirings: 40,
  partitions,
});

/** As the command replays for a report: every firing kept whole, and the report's collector watching. */
const reporting = (partitions: number, collector: ReportCollector): ReplayOptions => ({
  ...options(partitions),
  slimFirings: false,
  keepFirings: Number.POSITIVE_INFINITY,
  observers: [collector],
});

/** The result as data: maps as entries, the engine's byte estimate left out (a sum of estimates, not a count). */
function comparable(r: ReplayResult): unknown {
  const { bytesEstimate: _, ...stats } = r.stats;
  return {
    ...r,
    stats,
    tallies: [...r.tallies].map(([id, t]) => [id, { ...t, runs: [...t.runs] }]),
  };
}

const open = (path: string) => () => ({
  name: path,
  stream: createReadStream(path),
  bytesRead: () => 0,
  textBytes: () => 0,
  gzip: false,
});

it('a replay on N threads gives what one engine with N partitions gives', async () => {
  let shared = 0;
  let tried = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(line, { minLength: 1, maxLength: 120 }),
      fc.integer({ min: 2, max: 3 }),
      // A file with untimed or misleading lines almost always goes to one thread: a quarter of the files have them.
      fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 3, arbitrary: fc.constant(false) }),
      fc.boolean(),
      async (generated, n, awkward, report) => {
        const lines = awkward ? generated : generated.map(plainly);
        const path = write(lines);
        const drawn = [new ReportCollector(), new ReportCollector()] as const;
        const threaded = await replayInThreads(path, report ? reporting(n, drawn[0]) : options(n), n);
        tried += 1;
        if ('why' in threaded) return;
        shared += 1;
        const one = await replay(open(path), report ? reporting(n, drawn[1]) : options(n));
        expect(comparable(threaded)).toEqual(comparable(one));
        // The report: the same runs, drawn the same, in the same order.
        if (report) expect(drawn[0].build(threaded).runs).toEqual(drawn[1].build(one).runs);
      },
    ),
    { numRuns: Math.max(8, Math.round(runs / 12)) },
  );
  // Not vacuous: most files are shared out (one with an untimed line after another thread's line is not).
  expect(shared).toBeGreaterThan(tried / 3);
}, 240_000);

it("an untimed line after another partition's line, or bytes that point at another run, send the replay to one thread", async () => {
  const event = (runId: string, time?: string) => ({
    specversion: '1.0',
    id: `${runId}-${time ?? 'none'}`,
    source: '/acme',
    type: 'run.metrics',
    ...(time !== undefined && { time }),
    data: { entity: 'acme', project: 'vision', runId, metrics: { loss: 2 } },
  });
  const partition = (runId: string) => partitionOf(runKey('acme', 'vision', runId), 2);
  // A run of the other partition than NaN's (and than r0's).
  const other = RUNS.find((r) => partition(r) !== partition('NaN')) as string;
  const second = RUNS.find((r) => partition(r) !== partition('r0')) as string;
  const untimed = write([
    JSON.stringify(event('r0', '2026-03-01T10:00:00Z')),
    JSON.stringify(event(second)),
  ] as never);
  expect(await replayInThreads(untimed, options(2), 2)).toEqual({
    why: 'line 2 has no time, and the line before it was replayed elsewhere',
  });
  const misleading = write([
    `{"type":"run.metrics","data":{"metrics":{"runId":"NaN"},"entity":"acme","project":"vision","runId":"${other}"},"id":"a","source":"/acme"}`,
  ] as never);
  expect(await replayInThreads(misleading, options(2), 2)).toEqual({
    why: 'line 1 names its run in a way the threads cannot share out',
  });
}, 60_000);

it('replays on one thread what it cannot share out, and says why', async () => {
  const path = write([]);
  const stdin = await replayInThreads('-', options(2), 2);
  expect(stdin).toEqual({ why: 'stdin is read once' });
  expect(await replayInThreads(`${path}.gz`, options(2), 2)).toEqual({
    why: 'a gzipped file would be unpacked by every thread',
  });
  const stall = {
    name: 'quiet',
    event: { type: 'OnRunStalled', scope: 'acme', forMs: 600_000 },
    action: { type: 'DoNothing' },
  } as unknown as NewAutomation;
  expect(await replayInThreads(path, { ...options(2), automations: [...AUTOMATIONS, stall] }, 2)).toEqual({
    why: 'automation "quiet": cluster workers do not judge stalls',
  });
  const limited = { ...AUTOMATIONS[0], name: 'limited', rateLimit: { perSecond: 1 } } as NewAutomation;
  expect(await replayInThreads(path, { ...options(2), automations: [limited] }, 2)).toEqual({
    why: 'automation "limited": its rate limit spans every run',
  });
  const array = join(dir, 'array.json');
  writeFileSync(array, '  [ ]');
  expect(await replayInThreads(array, options(2), 2)).toEqual({ why: 'a JSON array is read as one text' });
  // `--threads auto`'s least size: a file below it stays on one thread; at it, it is shared out.
  const line = {
    type: 'run.metrics',
    id: 'm1',
    source: '/acme',
    time: '2026-03-01T10:00:00Z',
    data: { entity: 'acme', project: 'vision', runId: 'r0', metrics: { loss: 1 } },
  };
  const small = write([JSON.stringify(line)] as never);
  const size = statSync(small).size;
  expect(await replayInThreads(small, options(2), 2, size + 1)).toEqual({
    why: `the file is under ${(size + 1) / 2 ** 20} MiB, where threads start slower than they help`,
  });
  expect(await replayInThreads(small, options(2), 2, size)).not.toHaveProperty('why');
}, 60_000);
