import { describe, expect, it } from 'vitest';
import { DoNothing, isDefinitionError, OnRunState, RunEvent } from '../../src/index.js';
import { DAY, fixture, HOUR, T0 } from '../helpers/fixture.js';

let n = 0;
function state(
  runId: string,
  s: string,
  extra: { time?: number; sequence?: number; runName?: string; user?: string; project?: string } = {},
) {
  const { time, sequence, project = 'vision', ...who } = extra;
  return {
    id: `s${++n}`,
    source: '/test',
    type: 'run.state',
    ...(time !== undefined && { time }),
    ...(sequence !== undefined && { sequence }),
    data: { entity: 'acme', project, runId, state: s, ...who },
  };
}

function saveOn(
  engine: ReturnType<typeof fixture>['engine'],
  states: ('running' | 'finished' | 'failed' | 'crashed')[],
  extra: { cooldownMs?: number; runFilter?: { user?: string; runName?: string }; scope?: string } = {},
) {
  const { cooldownMs = 0, runFilter, scope = 'acme/vision' } = extra;
  return engine.save(OnRunState({ scope, states, ...(runFilter && { runFilter }) }).do(DoNothing()), {
    name: `st-${++n}`,
    cooldownMs,
  });
}

describe('run state trigger (§4)', () => {
  it('fires when a run changes to one of its states; the first state seen is a change', () => {
    const { engine } = fixture();
    saveOn(engine, ['running', 'failed']);
    const fired = ['running', 'running', 'finished', 'failed'].map((s) =>
      engine.ingest(state('r', s)).map((f) => f.transition),
    );
    expect(fired).toEqual([[{ to: 'running' }], [], [], [{ from: 'finished', to: 'failed' }]]);
  });

  it('crashed counts as failed, and a crash after a failure is no change', () => {
    const { engine } = fixture();
    saveOn(engine, ['failed']);
    expect(engine.ingest(state('r', 'crashed'))).toHaveLength(1);
    expect(engine.ingest(state('r', 'failed'))).toHaveLength(0);
    expect(engine.ingest(state('r2', 'running'))).toHaveLength(0);
    expect(engine.ingest(state('r2', 'crashed'))[0]?.transition).toEqual({ from: 'running', to: 'failed' });
  });

  it('killed never fires, and pending cannot be chosen', () => {
    const { engine } = fixture();
    saveOn(engine, ['running', 'finished', 'failed']);
    expect(engine.ingest(state('r', 'killed'))).toHaveLength(0);
    expect(engine.ingest(state('r', 'pending'))).toHaveLength(0);
    expect(engine.ingest(state('r', 'running'))).toHaveLength(1);
    for (const bad of ['pending', 'killed', 'exploded']) {
      try {
        OnRunState({ scope: 'acme', states: [bad as 'running'] });
        expect.unreachable();
      } catch (error) {
        expect(isDefinitionError(error) && error.issues[0]?.path).toEqual(['states', 0]);
      }
    }
  });

  it('refuses registry and collection scopes', () => {
    expect(() => OnRunState({ scope: { entity: 'acme', registry: 'model' }, states: ['failed'] })).toThrow(
      /run triggers take an entity or project scope/,
    );
  });

  it('a late state event (by sequence when both have one, else by time) is stale: dropped and reported', () => {
    const { engine, issues, clock } = fixture();
    clock.set(T0 + 9 * HOUR); // the events below are not ahead of the clock (maxFutureMs)
    saveOn(engine, ['running', 'finished']);
    engine.ingest(state('r', 'finished', { time: T0 + 2 * HOUR }));
    expect(engine.ingest(state('r', 'running', { time: T0 + HOUR }))).toHaveLength(0);
    expect(issues.map((i) => [i.code, i.path])).toEqual([['out_of_order', ['time']]]);
    engine.ingest(state('q', 'running', { time: T0 + 5 * HOUR, sequence: 2 }));
    // An older time but a newer sequence: sequence decides.
    expect(engine.ingest(state('q', 'finished', { time: T0, sequence: 3 }))).toHaveLength(1);
    expect(engine.ingest(state('q', 'running', { time: T0 + 9 * HOUR, sequence: 1 }))).toHaveLength(0);
    expect(issues.at(-1)?.path).toEqual(['sequence']);
    expect(engine.stats().stale).toBe(2);
  });

  it('the cooldown applies per automation and run, on event time', () => {
    const { engine, clock } = fixture();
    clock.set(T0 + DAY);
    saveOn(engine, ['running', 'failed'], { cooldownMs: DAY });
    expect(engine.ingest(state('r', 'running', { time: T0 }))).toHaveLength(1);
    expect(engine.ingest(state('r', 'failed', { time: T0 + HOUR }))).toHaveLength(0);
    expect(engine.ingest(state('other', 'failed', { time: T0 + HOUR }))).toHaveLength(1);
    expect(engine.ingest(state('r', 'running', { time: T0 + DAY }))).toHaveLength(1);
    expect(engine.stats().suppressed).toBe(1);
  });

  it('run filters and scopes apply', () => {
    const { engine } = fixture();
    saveOn(engine, ['failed'], { runFilter: { user: 'ana', runName: '^sweep-' }, scope: 'acme' });
    expect(
      engine.ingest(state('a', 'failed', { user: 'ana', runName: 'sweep-1', project: 'other' })),
    ).toHaveLength(1);
    expect(engine.ingest(state('b', 'failed', { user: 'bob', runName: 'sweep-1' }))).toHaveLength(0);
    expect(engine.ingest(state('c', 'failed', { user: 'ana', runName: 'final' }))).toHaveLength(0);
  });

  it('the builder gives the same data', () => {
    const plain = OnRunState({ scope: 'acme/vision', states: ['finished', 'failed'] });
    expect(OnRunState({ scope: 'acme/vision', ...RunEvent.state.in(['failed', 'finished']) })).toEqual(plain);
    expect(OnRunState({ scope: 'acme/vision', ...RunEvent.state.eq('crashed') })).toEqual(
      OnRunState({ scope: 'acme/vision', states: ['failed'] }),
    );
    expect(plain.states).toEqual(['finished', 'failed']);
  });
});
