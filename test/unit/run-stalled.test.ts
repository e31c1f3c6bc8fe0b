import { describe, expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  type Firing,
  isDefinitionError,
  OnRunStalled,
  parseAutomation,
} from '../../src/index.js';
import { defaultPayload } from '../../src/sinks/http/default-payload.js';
import { VirtualClock } from '../../src/testing/index.js';
import { row, T0 } from '../helpers/fixture.js';

const MIN = 60_000;
let n = 0;
function state(runId: string, s: string, time: number) {
  return {
    id: `st${++n}`,
    source: '/test',
    type: 'run.state',
    time,
    data: { entity: 'acme', project: 'vision', runId, state: s },
  };
}

function setup(partitions = 1) {
  const clock = new VirtualClock(T0);
  const engine = createEngine({ clock, partitions });
  const fired: Firing[] = [];
  engine.firings$.subscribe((f) => fired.push(f));
  return { clock, engine, fired };
}

function refusal(input: unknown): unknown {
  try {
    OnRunStalled(input as Parameters<typeof OnRunStalled>[0]);
  } catch (error) {
    if (isDefinitionError(error)) return error.issues.map((i) => ({ code: i.code, path: i.path }));
  }
  return 'accepted';
}

describe('stalled runs: OnRunStalled (§4.2)', () => {
  it('fires once when the engine clock reaches the last row + forMs; the next row re-arms it', () => {
    const { clock, engine, fired } = setup();
    const saved = engine.save(OnRunStalled({ scope: 'acme/vision', forMs: 30 * MIN }).do(DoNothing()), {
      name: 'silent',
      cooldownMs: 0,
    });
    engine.ingest(row('r1', { loss: 1 }, { time: T0, step: 7, runName: 'sweep-1' }));
    clock.set(T0 + 30 * MIN - 1);
    expect(fired).toEqual([]);
    clock.set(T0 + 30 * MIN);
    expect(fired).toHaveLength(1);
    const [f] = fired;
    expect(f?.automationId).toBe(saved.id);
    expect(f?.runId).toBe('r1');
    expect(f?.time).toBe(T0 + 30 * MIN);
    expect(f?.stall).toEqual({ forMs: 30 * MIN, lastTime: T0, lastStep: 7, silentMs: 30 * MIN });
    expect(f?.event).toMatchObject({ type: 'run.stalled', data: { runId: 'r1', runName: 'sweep-1' } });
    // A webhook with no payload carries the stall, as it carries a metric trigger's evidence.
    expect(f && defaultPayload(f)).toMatchObject({
      event_type: 'run.stalled',
      run_id: 'r1',
      stall: f?.stall,
    });
    clock.set(T0 + 300 * MIN);
    expect(fired).toHaveLength(1);
    engine.ingest(row('r1', { loss: 1 }, { time: T0 + 300 * MIN }));
    clock.set(T0 + 330 * MIN);
    expect(fired.map((x) => x.time)).toEqual([T0 + 30 * MIN, T0 + 330 * MIN]);
  });

  it('watches one metric when given, and stops at an end state', () => {
    const { clock, engine, fired } = setup();
    engine.save(OnRunStalled({ scope: 'acme', forMs: 10 * MIN, metric: 'loss' }).do(DoNothing()), {
      name: 'm',
    });
    engine.ingest(row('a', { loss: 1 }, { time: T0 }));
    engine.ingest(row('b', { loss: 1 }, { time: T0 }));
    // Rows without `loss` keep nothing alive; b finishes and is no longer watched.
    engine.ingest(row('a', { acc: 1 }, { time: T0 + 5 * MIN }));
    engine.ingest(state('b', 'finished', T0 + 5 * MIN));
    clock.set(T0 + 60 * MIN);
    expect(fired.map((f) => f.runId)).toEqual(['a']);
  });

  it('watches a run that starts running before any row', () => {
    const { clock, engine, fired } = setup();
    engine.save(OnRunStalled({ scope: 'acme', forMs: MIN }).do(DoNothing()), { name: 'start' });
    engine.ingest(state('r', 'running', T0));
    clock.set(T0 + MIN);
    expect(fired.map((f) => f.stall?.lastTime)).toEqual([T0]);
  });

  it('survives a snapshot and restore, and keeps a silent run from being released as idle', () => {
    const { clock, engine } = setup();
    engine.save(OnRunStalled({ scope: 'acme', forMs: 8 * 24 * 60 * MIN }).do(DoNothing()), { name: 'week' });
    engine.ingest(row('r', { loss: 1 }, { time: T0 }));
    const again = createEngine({ clock, state: engine.snapshot(), partitions: 3 });
    const fired: Firing[] = [];
    again.firings$.subscribe((f) => fired.push(f));
    // Past the 7-day idle release, on event time, by a row of another project nobody watches for stalls.
    clock.set(T0 + 7.5 * 24 * 60 * MIN);
    again.ingest(row('other', { loss: 1 }, { time: T0 + 7.5 * 24 * 60 * MIN, entity: 'zeta' }));
    expect(again.sweep()).toBe(0);
    expect(again.stats().runs).toBe(2);
    clock.set(T0 + 8 * 24 * 60 * MIN);
    expect(fired.map((f) => f.runId)).toEqual(['r']);
  });

  it('refuses what it cannot watch, naming the field, and round-trips as JSON', () => {
    expect(refusal({ scope: 'acme', forMs: 59_999 })).toEqual([{ code: 'too_small', path: ['forMs'] }]);
    expect(refusal({ scope: { registry: 'model', entity: 'acme' }, forMs: MIN })).toEqual([
      { code: 'scope_not_allowed', path: ['scope'] },
    ]);
    expect(refusal({ scope: 'acme', forMs: MIN, every: 1 })).toEqual([
      { code: 'unrecognized_keys', path: [] },
    ]);
    const trigger = OnRunStalled({ scope: 'acme/vision', forMs: MIN, metric: 'loss' });
    const automation = parseAutomation(JSON.parse(JSON.stringify({ name: 'x', ...trigger.do(DoNothing()) })));
    expect(automation.event).toEqual(trigger);
  });
});
