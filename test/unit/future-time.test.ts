import { describe, expect, it } from 'vitest';
import { createEngine, DEFAULT_INPUT_LIMITS, isDefinitionError, RunEvent } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { DAY, fixture, row, T0, watch } from '../helpers/fixture.js';
import { AUTOMATIONS, cli, EVENTS, tempDir, writeJson, writeLines } from './cli/cli-fixture.js';

const MINUTE = 60_000;

describe('time from the future (limits.maxFutureMs)', () => {
  it('is 5 minutes by default', () => {
    expect(DEFAULT_INPUT_LIMITS.maxFutureMs).toBe(5 * MINUTE);
  });

  it.each([
    ['9999-12-31', '9999-12-31T23:59:59Z'],
    ['8 days ahead', T0 + 8 * DAY],
  ] as const)('an event dated %s is refused (out_of_range at time) and wipes nothing', (_name, time) => {
    const { engine, issues } = fixture({ retention: { runIdleMs: DAY } });
    watch(engine, RunEvent.metric('loss').sum(3).gt(2), { name: 'sum' });
    engine.ingest(row('r1', { loss: 1 }, { id: 'a', time: T0 - 2000 }));
    engine.ingest(row('r1', { loss: 1 }, { id: 'b', time: T0 - 1000 }));
    expect(engine.ingest(row('r2', { loss: 5 }, { id: 'future', time }))).toEqual([]);
    expect(issues).toEqual([
      {
        code: 'out_of_range',
        path: ['time'],
        message: expect.stringContaining('maxFutureMs'),
        value: typeof time === 'number' ? time : Date.parse(time),
        eventId: 'future',
        source: '/test',
      },
    ]);
    // Nothing moved: no run evicted, the seen ids kept, the window still one value short of firing.
    expect(engine.sweep()).toBe(0);
    expect(engine.stats()).toMatchObject({ runs: 1, accepted: 2, rejected: 1 });
    expect(engine.ingest(row('r1', { loss: 9 }, { id: 'a', time: T0 }))).toEqual([]);
    expect(engine.stats().duplicates).toBe(1);
    expect(engine.ingest(row('r1', { loss: 1 }, { id: 'c', time: T0 }))).toHaveLength(1);
    // The refused id stays free: sent again once its time has come, it is accepted.
    expect(engine.stats().rejected).toBe(1);
  });

  it('exactly maxFutureMs ahead is accepted, one millisecond more is refused; as the clock moves, it is not', () => {
    const { engine, clock, issues } = fixture();
    watch(engine, RunEvent.metric('m').gt(0));
    expect(engine.ingest(row('r', { m: 1 }, { time: T0 + 5 * MINUTE }))).toHaveLength(1);
    expect(engine.ingest(row('r', { m: 1 }, { id: 'late', time: T0 + 5 * MINUTE + 1 }))).toEqual([]);
    expect(issues.map((i) => i.code)).toEqual(['out_of_range']);
    clock.advance(1);
    expect(engine.ingest(row('r', { m: 1 }, { id: 'late', time: T0 + 5 * MINUTE + 1 }))).toHaveLength(1);
    // RFC 3339 text is judged by the same time.
    const text = new Date(T0 + 6 * MINUTE + 2).toISOString();
    expect(engine.ingest(row('r', { m: 1 }, { time: text }))).toEqual([]);
    expect(issues.map((i) => i.code)).toEqual(['out_of_range', 'out_of_range']);
  });

  it('every event type is judged, not only metric rows', () => {
    const { engine, issues } = fixture();
    const time = T0 + DAY;
    engine.ingest({
      id: '1',
      source: '/s',
      type: 'run.state',
      time,
      data: { entity: 'a', project: 'b', runId: 'r', state: 'running' },
    });
    engine.ingest({ id: '2', source: '/s', type: 'custom.ping', time, data: {} });
    engine.ingest({
      id: '3',
      source: '/s',
      type: 'artifact.created',
      time,
      data: { entity: 'a', project: 'b', collection: 'c', version: 0 },
    });
    expect(issues.map((i) => [i.code, i.eventId])).toEqual([
      ['out_of_range', '1'],
      ['out_of_range', '2'],
      ['out_of_range', '3'],
    ]);
    expect(engine.stats()).toMatchObject({ accepted: 0, rejected: 3, runs: 0, collections: 0 });
  });

  it('is set by limits.maxFutureMs, and Infinity turns it off', () => {
    const strict = fixture({ limits: { maxFutureMs: 0 } });
    watch(strict.engine, RunEvent.metric('m').gt(0));
    expect(strict.engine.ingest(row('r', { m: 1 }, { time: T0 }))).toHaveLength(1);
    expect(strict.engine.ingest(row('r', { m: 1 }, { time: T0 + 1 }))).toEqual([]);
    const off = fixture({ limits: { maxFutureMs: Number.POSITIVE_INFINITY } });
    watch(off.engine, RunEvent.metric('m').gt(0));
    expect(off.engine.ingest(row('r', { m: 1 }, { time: '9999-12-31T23:59:59Z' }))).toHaveLength(1);
    expect(off.issues).toEqual([]);
  });

  it('a limit that is not a number of milliseconds ≥ 0 is refused', () => {
    for (const maxFutureMs of [-1, Number.NaN, '5m', 1.5])
      expect(() => createEngine({ limits: { maxFutureMs: maxFutureMs as number } })).toThrow(
        expect.objectContaining({ name: 'DefinitionError' }),
      );
    try {
      createEngine({ limits: { maxFutureMs: -1 } });
    } catch (error) {
      expect(isDefinitionError(error) && error.issues[0]?.path).toEqual(['limits', 'maxFutureMs']);
    }
  });
});

describe('a replay follows event time, so history is never from the future', () => {
  it('replays events dated years after the wall clock, and an event far ahead of the one before it', async () => {
    const t = tempDir();
    try {
      // The hand-made events, years later than the wall clock the command reads, then one a year after them.
      const years = (e: object) => {
        const event = e as { time: string };
        return { ...event, time: new Date(Date.parse(event.time) + 5 * 365 * DAY).toISOString() };
      };
      const shifted: object[] = EVENTS.map(years);
      const last = shifted.at(-1) as { time: string; id: string };
      shifted.push({
        ...last,
        id: 'a-year-on',
        time: new Date(Date.parse(last.time) + 365 * DAY).toISOString(),
      });
      const automations = writeJson(t.path('automations.json'), AUTOMATIONS);
      const events = writeLines(t.path('events.jsonl'), shifted);
      const run = await cli(['replay', '-a', automations, '-e', events, '--format', 'json'], {
        clock: new VirtualClock(T0),
      });
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout) as { problems: unknown[]; firings: unknown[] };
      expect(out.problems).toEqual([]);
      expect(out.firings).toHaveLength(4);
    } finally {
      t.cleanup();
    }
  });
});
