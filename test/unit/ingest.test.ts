import { describe, expect, it } from 'vitest';
import { createEngine, events, RunEvent } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { fixture, row, T0, watch } from '../helpers/fixture.js';

describe('events in (§1)', () => {
  it('a duplicate (source, id) is ignored and counted, not reported', () => {
    const { engine, issues } = fixture();
    watch(engine, RunEvent.metric('m').gt(0));
    const event = row('r', { m: 1 }, { id: 'same' });
    expect(engine.ingest(event)).toHaveLength(1);
    expect(engine.ingest(event)).toHaveLength(0);
    expect(engine.ingest({ ...event, source: '/elsewhere' })).toHaveLength(1); // another source: another event
    expect(engine.stats()).toMatchObject({ duplicates: 1, accepted: 2 });
    expect(issues).toEqual([]);
  });

  it.each([
    ['no id', { source: 's', type: 'run.metrics' }, 'invalid_type', ['id']],
    ['empty id', { id: '', source: 's', type: 'x' }, 'too_small', ['id']],
    ['bad time', { id: '1', source: 's', type: 'x', time: 'yesterday' }, 'invalid_format', ['time']],
    [
      'bad specversion',
      { id: '1', source: 's', type: 'x', specversion: '0.3' },
      'invalid_value',
      ['specversion'],
    ],
    [
      'non-integer sequence',
      { id: '1', source: 's', type: 'x', sequence: 1.5 },
      'invalid_type',
      ['sequence'],
    ],
    ['not an object', 42, 'invalid_type', []],
  ] as const)(
    'a bad envelope (%s) is reported with code, path and value, and skipped',
    (_name, input, code, path) => {
      const { engine, issues } = fixture();
      expect(engine.ingest(input)).toEqual([]);
      expect(issues[0]).toMatchObject({ code, path });
      expect(engine.stats()).toMatchObject({ rejected: 1, accepted: 0 });
    },
  );

  it('bad run data names the field inside data and keeps the value', () => {
    const { engine, issues } = fixture();
    engine.ingest({
      id: 'e1',
      source: 's',
      type: 'run.metrics',
      data: { entity: 'acme', project: 'vision', runId: 'r', step: -1, metrics: { loss: 'high' } },
    });
    expect(
      issues.map((i) => ({
        code: i.code,
        path: i.path,
        value: i.value,
        eventId: i.eventId,
        source: i.source,
      })),
    ).toEqual([
      { code: 'too_small', path: ['data', 'step'], value: -1, eventId: 'e1', source: 's' },
      { code: 'invalid_type', path: ['data', 'metrics', 'loss'], value: 'high', eventId: 'e1', source: 's' },
    ]);
  });

  it('a bad event changes no state: not its metrics, not its id, not the run', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('m').sum(2).eq(2));
    engine.ingest(row('r', { m: 1 }));
    const bad = row('r', { m: 1, n: 'oops' }, { id: 'reused' });
    engine.ingest(bad);
    expect(engine.stats()).toMatchObject({ runs: 1, rejected: 1 });
    // The sum is still 1 + next, so 1 completes it; and the id of the bad event is still free.
    expect(engine.ingest(row('r', { m: 1 }, { id: 'reused' }))).toHaveLength(1);
  });

  it('a bad event never stops the stream: later events still fire', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('m').gt(0));
    const fired = engine.ingestBatch([
      row('r', { m: 1 }),
      null,
      { nonsense: true },
      'text',
      row('r', { m: 2 }),
    ]);
    expect(fired).toHaveLength(2);
    expect(engine.stats().rejected).toBe(3);
  });

  it('unknown extra fields are ignored, and foreign event types are accepted', () => {
    const { engine, issues } = fixture();
    watch(engine, RunEvent.metric('m').gt(0));
    const event = {
      ...row('r', { m: 1 }),
      traceparent: '00-abc',
      data: { ...row('r', { m: 1 }).data, extra: { deep: 1 } },
    };
    expect(engine.ingest(event)).toHaveLength(1);
    expect(
      engine.ingest({
        id: 'x',
        source: 'azure',
        type: 'Microsoft.MachineLearningServices.ModelRegistered',
        data: {},
      }),
    ).toEqual([]);
    expect(issues).toEqual([]);
    expect(engine.stats().accepted).toBe(2);
  });

  it('time may be RFC 3339 text or epoch ms; absent, it is the clock at ingest', () => {
    const { engine, clock } = fixture();
    watch(engine, RunEvent.metric('m').gt(0));
    clock.set(Date.parse('2026-02-01T09:00:00Z')); // an event may not be ahead of the clock (maxFutureMs)
    expect(engine.ingest(row('r', { m: 1 }, { time: '2026-02-01T10:00:00+01:00' }))[0]?.time).toBe(
      Date.parse('2026-02-01T09:00:00Z'),
    );
    expect(engine.ingest(row('r', { m: 1 }, { time: 1234 }))[0]?.time).toBe(1234);
    clock.set(T0 + 99);
    expect(engine.ingest(row('r', { m: 1 }))[0]?.time).toBe(T0 + 99);
  });

  it('a metric named __proto__ or constructor is only a name', () => {
    const { engine } = fixture();
    watch(engine, RunEvent.metric('__proto__').gt(0));
    watch(engine, RunEvent.metric('constructor').gt(0));
    const event = JSON.parse(
      JSON.stringify(row('r', {})).replace('"metrics":{}', '"metrics":{"__proto__":1,"constructor":2}'),
    );
    expect(engine.ingest(event).map((f) => f.evidence?.metric)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('events helpers', () => {
  it('build canonical CloudEvents that the engine accepts', () => {
    const clock = new VirtualClock(T0);
    const engine = createEngine({ clock });
    watch(engine, RunEvent.metric('accuracy').gt(0.9));
    const e = events.runMetrics({
      entity: 'acme',
      project: 'vision',
      runId: 'r1',
      runName: 'sweep-7',
      user: 'ana',
      step: 12,
      metrics: { accuracy: 0.97 },
    });
    expect(e).toMatchObject({
      specversion: '1.0',
      type: 'run.metrics',
      source: '/acme/vision',
      subject: 'runs/r1',
      data: { step: 12, metrics: { accuracy: 0.97 } },
    });
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(engine.ingest(e)).toHaveLength(1);
    const s = events.runState({
      entity: 'acme',
      project: 'vision',
      runId: 'r1',
      state: 'failed',
      id: 'fixed',
      time: T0,
    });
    expect(s).toMatchObject({ id: 'fixed', type: 'run.state', time: T0, data: { state: 'failed' } });
    expect(engine.ingest(s)).toEqual([]);
  });

  it('refuse bad input with a DefinitionError naming the field', () => {
    expect(() =>
      events.runMetrics({ entity: 'acme', project: 'vision', runId: 'r', metrics: { m: 'x' as never } }),
    ).toThrow(
      expect.objectContaining({
        name: 'DefinitionError',
        issues: [expect.objectContaining({ path: ['metrics', 'm'], value: 'x' })],
      }),
    );
    expect(() =>
      events.runState({ entity: 'acme', project: 'vision', runId: 'r', state: 'exploded' as never }),
    ).toThrow(/state/);
  });
});
