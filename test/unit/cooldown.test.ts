import { describe, expect, it } from 'vitest';
import { DoNothing, OnRunMetric, RunEvent } from '../../src/index.js';
import { DAY, fixture, HOUR, row, T0, watch } from '../helpers/fixture.js';

const always = RunEvent.metric('m').gt(-1e9);

describe('cooldown: at most once per run per 24 hours (§5)', () => {
  it('defaults to 24 h; held-back matches are counted, not fired', () => {
    const { engine, clock } = fixture();
    clock.set(T0 + DAY); // the events below are not ahead of the clock (maxFutureMs)
    const saved = engine.save(OnRunMetric({ scope: 'acme/vision', filter: always }).do(DoNothing()), {
      name: 'a',
    });
    expect(saved.cooldownMs).toBe(DAY);
    const suppressed: number[] = [];
    engine.on('suppressed', (s) => suppressed.push(s.time));
    expect(engine.ingest(row('r', { m: 1 }, { time: T0 }))).toHaveLength(1);
    expect(engine.ingest(row('r', { m: 1 }, { time: T0 + HOUR }))).toHaveLength(0);
    expect(engine.ingest(row('r', { m: 1 }, { time: T0 + DAY - 1 }))).toHaveLength(0);
    expect(engine.ingest(row('r', { m: 1 }, { time: T0 + DAY }))).toHaveLength(1);
    expect(engine.stats().suppressed).toBe(2);
    expect(engine.stats().byAutomation[saved.id]).toEqual({ firings: 2, suppressed: 2 });
    expect(suppressed).toEqual([T0 + HOUR, T0 + DAY - 1]);
  });

  it('is per run: another run fires at once', () => {
    const { engine } = fixture();
    watch(engine, always, { cooldownMs: DAY });
    expect(engine.ingest(row('a', { m: 1 }, { time: T0 }))).toHaveLength(1);
    expect(engine.ingest(row('b', { m: 1 }, { time: T0 }))).toHaveLength(1);
    expect(engine.ingest(row('a', { m: 1 }, { time: T0 + 1 }))).toHaveLength(0);
  });

  it('is per automation: two automations on the same run each fire', () => {
    const { engine } = fixture();
    watch(engine, always, { cooldownMs: DAY });
    watch(engine, always, { cooldownMs: DAY });
    expect(engine.ingest(row('a', { m: 1 }, { time: T0 }))).toHaveLength(2);
    expect(engine.ingest(row('a', { m: 1 }, { time: T0 + 5 }))).toHaveLength(0);
  });

  it('runs on event time, not the clock: a replay of old events behaves as the live stream did', () => {
    const { engine, clock } = fixture();
    watch(engine, always, { cooldownMs: DAY });
    clock.set(T0 + 365 * DAY); // the clock is far ahead of the events being replayed
    const fired = [0, 12, 23, 24, 30, 48].map(
      (h) => engine.ingest(row('r', { m: 1 }, { time: T0 + h * HOUR })).length,
    );
    expect(fired).toEqual([1, 0, 0, 1, 0, 1]);
  });

  it('events without a time take the engine clock at ingest', () => {
    const { engine, clock } = fixture();
    watch(engine, always, { cooldownMs: HOUR });
    expect(engine.ingest(row('r', { m: 1 }))[0]?.time).toBe(T0);
    clock.advance(HOUR - 1);
    expect(engine.ingest(row('r', { m: 1 }))).toHaveLength(0);
    clock.advance(1);
    expect(engine.ingest(row('r', { m: 1 }))[0]?.time).toBe(T0 + HOUR);
  });

  it('a late event (earlier than the last firing) is inside the cooldown', () => {
    const { engine, clock } = fixture();
    clock.set(T0 + 10 * HOUR);
    watch(engine, always, { cooldownMs: HOUR });
    engine.ingest(row('r', { m: 1 }, { time: T0 + 10 * HOUR }));
    expect(engine.ingest(row('r', { m: 1 }, { time: T0 }))).toHaveLength(0);
  });

  it('0 means no cooldown; a changed cooldown applies to the next match', () => {
    const { engine } = fixture();
    const a = watch(engine, always, { cooldownMs: 0 });
    expect([1, 2, 3].map((i) => engine.ingest(row('r', { m: 1 }, { time: T0 + i })).length)).toEqual([
      1, 1, 1,
    ]);
    engine.update(a.id, { cooldownMs: HOUR });
    expect([4, 5].map((i) => engine.ingest(row('r', { m: 1 }, { time: T0 + i })).length)).toEqual([1, 0]);
  });

  it('survives disable/enable and a filter change: the ledger is per automation, not per window', () => {
    const { engine } = fixture();
    const a = watch(engine, always, { cooldownMs: DAY });
    engine.ingest(row('r', { m: 1 }, { time: T0 }));
    engine.disable(a.id);
    engine.enable(a.id);
    expect(engine.ingest(row('r', { m: 1 }, { time: T0 + HOUR }))).toHaveLength(0);
    engine.update(a.id, { event: OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }) });
    expect(engine.ingest(row('r', { m: 1 }, { time: T0 + 2 * HOUR }))).toHaveLength(0);
  });

  it('a run filter that fails is no match: nothing is suppressed', () => {
    const { engine } = fixture();
    watch(engine, always, { cooldownMs: DAY, runFilter: { user: 'ana' } });
    engine.ingest(row('r', { m: 1 }, { user: 'bob' }));
    engine.ingest(row('r', { m: 1 }, { user: 'bob' }));
    expect(engine.stats().suppressed).toBe(0);
  });
});
