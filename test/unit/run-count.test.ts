import { describe, expect, it } from 'vitest';
import { createEngine, DoNothing, isDefinitionError, OnRunState, parseAutomation } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { fixture, HOUR, T0 } from '../helpers/fixture.js';

let n = 0;
function failed(runId: string, time: number, project = 'vision', state = 'failed') {
  return {
    id: `c${++n}`,
    source: '/test',
    type: 'run.state',
    time,
    data: { entity: 'acme', project, runId, state, runName: `name-${runId}` },
  };
}

function refusal(input: unknown): unknown {
  try {
    OnRunState(input as Parameters<typeof OnRunState>[0]);
  } catch (error) {
    if (isDefinitionError(error)) return error.issues.map((i) => ({ code: i.code, path: i.path }));
  }
  return 'accepted';
}

describe('failures across runs: OnRunState count (§4.1)', () => {
  it('fires at the failure that makes the third distinct run of a project within the window', () => {
    const { engine } = fixture({ limits: { maxFutureMs: 30 * 24 * HOUR } });
    engine.save(
      OnRunState({ scope: 'acme', states: ['failed'], count: { atLeast: 3, withinMs: HOUR } }).do(
        DoNothing(),
      ),
      { name: 'three-ooms' },
    );
    const at = (m: number) => T0 + m * 60_000;
    expect(engine.ingest(failed('a', at(0)))).toEqual([]);
    // The same run again is still one run; another project counts on its own.
    expect(engine.ingest(failed('a', at(5), 'vision', 'crashed'))).toEqual([]);
    expect(engine.ingest(failed('x', at(6), 'audio'))).toEqual([]);
    expect(engine.ingest(failed('b', at(10)))).toEqual([]);
    const [firing] = engine.ingest(failed('c', at(20), 'vision', 'crashed'));
    expect(firing?.runId).toBe('c');
    expect(firing?.transition).toEqual({ to: 'failed' });
    expect(firing?.count).toEqual({
      per: 'project',
      entity: 'acme',
      project: 'vision',
      atLeast: 3,
      withinMs: HOUR,
      runs: [
        { runId: 'a', runName: 'name-a', state: 'failed', time: at(0) },
        { runId: 'b', runName: 'name-b', state: 'failed', time: at(10) },
        { runId: 'c', runName: 'name-c', state: 'failed', time: at(20) },
      ],
    });
  });

  it('forgets failures older than the window', () => {
    const { engine } = fixture({ limits: { maxFutureMs: 30 * 24 * HOUR } });
    engine.save(
      OnRunState({ scope: 'acme/vision', states: ['failed'], count: { atLeast: 2, withinMs: HOUR } }).do(
        DoNothing(),
      ),
      { name: 'two' },
    );
    expect(engine.ingest(failed('a', T0))).toEqual([]);
    expect(engine.ingest(failed('b', T0 + HOUR))).toEqual([]);
    expect(engine.ingest(failed('c', T0 + HOUR + 1))).toHaveLength(1);
  });

  it('keeps the cooldown per project, not per run; per entity counts every project together', () => {
    const { engine } = fixture({ limits: { maxFutureMs: 30 * 24 * HOUR } });
    engine.save(
      OnRunState({ scope: 'acme', states: ['failed'], count: { atLeast: 2, withinMs: HOUR } }).do(
        DoNothing(),
      ),
      { name: 'per-project' },
    );
    engine.save(
      OnRunState({
        scope: 'acme',
        states: ['FAILED'],
        count: { atLeast: 2, withinMs: HOUR, per: 'ENTITY' },
      }).do(DoNothing()),
      { name: 'per-entity' },
    );
    const names = (events: ReturnType<typeof failed>[]) =>
      events.map((e) => engine.ingest(e).map((f) => f.automationName));
    expect(names([failed('a', T0, 'p1'), failed('b', T0 + 1, 'p2')])).toEqual([[], ['per-entity']]);
    expect(names([failed('c', T0 + 2, 'p1'), failed('d', T0 + 3, 'p1'), failed('e', T0 + 4, 'p2')])).toEqual([
      ['per-project'],
      [],
      ['per-project'],
    ]);
  });

  it('gives the same firings with any number of partitions, and across a snapshot into another count', () => {
    const stream = Array.from({ length: 40 }, (_, i) => failed(`r${i % 7}`, T0 + i * 1000, `p${i % 3}`));
    const firings = (partitions: number, restoreInto?: number) => {
      const clock = new VirtualClock(T0);
      let engine = createEngine({ clock, partitions });
      engine.save(
        OnRunState({ scope: 'acme', states: ['failed'], count: { atLeast: 3, withinMs: 20_000 } }).do(
          DoNothing(),
        ),
        { name: 'c', cooldownMs: 5000 },
      );
      const out: string[] = [];
      stream.forEach((e, i) => {
        if (i === 20 && restoreInto !== undefined)
          engine = createEngine({ clock, partitions: restoreInto, state: engine.snapshot() });
        for (const f of engine.ingest(e)) out.push(`${f.id}:${f.count?.runs.map((r) => r.runId).join(',')}`);
      });
      return out;
    };
    const one = firings(1);
    expect(one.length).toBeGreaterThan(3);
    expect(firings(4)).toEqual(one);
    expect(firings(1, 5)).toEqual(one);
    expect(firings(3, 1)).toEqual(one);
  });

  it('refuses a count it cannot honour, naming the field', () => {
    const ok = { scope: 'acme', states: ['failed'] };
    expect(refusal({ ...ok, count: { atLeast: 1, withinMs: HOUR } })).toEqual([
      { code: 'too_small', path: ['count', 'atLeast'] },
    ]);
    expect(refusal({ ...ok, count: { atLeast: 1001, withinMs: HOUR } })).toEqual([
      { code: 'too_big', path: ['count', 'atLeast'] },
    ]);
    expect(refusal({ ...ok, count: { atLeast: 2, withinMs: HOUR, per: 'run' } })).toEqual([
      { code: 'invalid_value', path: ['count', 'per'] },
    ]);
    expect(refusal({ ...ok, count: { atLeast: 2, withinMs: HOUR, every: 1 } })).toEqual([
      { code: 'unrecognized_keys', path: ['count'] },
    ]);
    expect(refusal({ ...ok, count: null })).toBe('accepted');
  });

  it('round-trips as JSON with its default filled in', () => {
    const trigger = OnRunState({
      scope: 'acme/vision',
      states: ['failed'],
      count: { atLeast: 3, withinMs: HOUR },
    });
    expect(trigger.count).toEqual({ atLeast: 3, withinMs: HOUR, per: 'project' });
    const automation = parseAutomation(JSON.parse(JSON.stringify({ name: 'x', ...trigger.do(DoNothing()) })));
    expect(automation.event).toEqual(trigger);
  });
});
