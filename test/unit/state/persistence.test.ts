import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createEngine,
  DoNothing,
  FileStateStore,
  isDefinitionError,
  isStateFileError,
  OnRunMetric,
  OnRunState,
  RunEvent,
} from '../../../src/index.js';
import { VirtualClock } from '../../../src/testing/index.js';
import { DAY, HOUR, row, T0 } from '../../helpers/fixture.js';
import { olderSnapshot } from '../../helpers/older-snapshot.js';

const dirs: string[] = [];
const dir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'mla-state-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const trigger = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').sum(3).eq(3) }).do(
  DoNothing(),
);

describe('FileStateStore and checkpoints', () => {
  it('close() checkpoints; a new engine on the same store continues the windows and cooldowns exactly', async () => {
    const path = join(dir(), 'state.json');
    const clock = new VirtualClock(T0);
    const first = createEngine({ clock, store: new FileStateStore(path) });
    first.save(trigger, { name: 'sum3', cooldownMs: DAY });
    first.ingest(row('r', { m: 1 }, { time: T0 }));
    first.ingest(row('r', { m: 1 }, { time: T0 + 1 }));
    await first.close();
    const second = createEngine({ clock, store: new FileStateStore(path) });
    expect(second.ingest(row('r', { m: 1 }, { time: T0 + 2 }))).toHaveLength(1); // the window kept its two values
    expect(second.ingest(row('r', { m: 1 }, { time: T0 + 3 }))).toHaveLength(0); // the cooldown too
    expect(second.stats()).toMatchObject({ accepted: 4, firings: 1, suppressed: 1 });
  });

  it('checkpoints on the injected clock, writing atomically (no temp file left behind)', async () => {
    const d = dir();
    const path = join(d, 'state.json');
    const clock = new VirtualClock(T0);
    const engine = createEngine({ clock, store: new FileStateStore(path), checkpointEveryMs: 60_000 });
    engine.save(trigger, { name: 'a' });
    clock.advance(59_999);
    await new Promise((r) => setTimeout(r, 20));
    expect(readdirSync(d)).toEqual([]);
    clock.advance(1);
    // The write is asynchronous: wait for it rather than a fixed time, which a loaded machine can overrun.
    await vi.waitFor(() => expect(readdirSync(d)).toEqual(['state.json']), { timeout: 10_000, interval: 10 });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({
      version: 4,
      definitions: { automations: [{ name: 'a' }] },
    });
    await engine.close();
  });

  it('a corrupt or truncated file is refused whole, never half-loaded', () => {
    const path = join(dir(), 'state.json');
    writeFileSync(path, '{"version":2,"automations":[');
    let caught: unknown;
    try {
      createEngine({ store: new FileStateStore(path) });
    } catch (error) {
      caught = error;
    }
    expect(isStateFileError(caught)).toBe(true);
    writeFileSync(
      path,
      JSON.stringify({ version: 2, automations: [], deliveries: [], core: { nextId: 'x' } }),
    );
    expect(() => createEngine({ store: new FileStateStore(path) })).toThrow(/core/);
  });
});

describe('snapshot versions', () => {
  it('a version 1 snapshot (automations and deliveries) is migrated', () => {
    const clock = new VirtualClock(T0);
    const old = createEngine({ clock });
    const saved = old.save(trigger, { name: 'old' });
    const engine = createEngine({ clock, state: olderSnapshot(old.snapshot(), 1) as never });
    expect(engine.get(saved.id)).toEqual(saved);
    expect(engine.snapshot().version).toBe(4);
  });

  it('an unknown version is refused with a clear error naming the version', () => {
    try {
      createEngine({ state: { version: 9, automations: [] } as never });
      expect.unreachable();
    } catch (error) {
      expect(isDefinitionError(error) && error.issues[0]).toMatchObject({
        code: 'invalid_value',
        path: ['state', 'version'],
        value: 9,
      });
    }
  });
});

describe('bounded memory', () => {
  it('idle runs are released after runIdleMs of event time; a value after that starts a fresh window', () => {
    const clock = new VirtualClock(T0 + DAY + 2); // no event is ahead of the clock (maxFutureMs)
    const engine = createEngine({ clock, retention: { runIdleMs: DAY, sweepEvery: 1 } });
    engine.save(trigger, { name: 'sum3', cooldownMs: 0 });
    engine.ingest(row('old', { m: 1 }, { time: T0 }));
    engine.ingest(row('old', { m: 1 }, { time: T0 }));
    engine.ingest(row('other', { m: 1 }, { time: T0 + DAY + 1 }));
    expect(engine.stats()).toMatchObject({ runs: 1, evictions: 1 });
    expect(engine.ingest(row('old', { m: 1 }, { time: T0 + DAY + 2 }))).toHaveLength(0);
  });

  it('a finished run is released after its grace period once its cooldowns have passed', () => {
    const clock = new VirtualClock(T0 + 2 * HOUR);
    const engine = createEngine({ clock, retention: { terminalRunMs: HOUR, sweepEvery: 1 } });
    engine.save(trigger, { name: 'sum3', cooldownMs: 2 * HOUR });
    for (let i = 0; i < 3; i++) engine.ingest(row('r', { m: 1 }, { time: T0 }));
    engine.ingest({
      id: 's',
      source: '/t',
      type: 'run.state',
      time: T0,
      data: { entity: 'acme', project: 'vision', runId: 'r', state: 'finished' },
    });
    engine.ingest(row('x', { m: 5 }, { time: T0 + HOUR + 1 }));
    engine.sweep();
    expect(engine.stats().runs).toBe(2); // its cooldown (2 h) has not passed
    engine.ingest(row('x', { m: 5 }, { time: T0 + 2 * HOUR }));
    expect(engine.sweep()).toBe(1);
    expect(engine.stats()).toMatchObject({ runs: 1, evictions: 1 });
  });

  it('a late state event within the grace period is still stale, not a first state', () => {
    const engine = createEngine({
      clock: new VirtualClock(T0),
      retention: { terminalRunMs: HOUR, sweepEvery: 1 },
    });
    engine.save(OnRunState({ scope: 'acme', states: ['running'] }).do(DoNothing()), {
      name: 's',
      cooldownMs: 0,
    });
    const state = (id: string, s: string, time: number) => ({
      id,
      source: '/t',
      type: 'run.state',
      time,
      data: { entity: 'acme', project: 'p', runId: 'r', state: s },
    });
    engine.ingest(state('a', 'finished', T0 + 10));
    expect(engine.ingest(state('b', 'running', T0))).toHaveLength(0);
  });

  it('collections keep at most maxVersionsPerCollection versions', () => {
    const engine = createEngine({ clock: new VirtualClock(T0), retention: { maxVersionsPerCollection: 3 } });
    for (let v = 0; v < 5; v++) {
      engine.ingest({
        id: `c${v}`,
        source: '/t',
        type: 'artifact.created',
        data: { entity: 'acme', project: 'p', collection: 'c', version: v },
      });
    }
    expect(engine.stats().evictions).toBe(2);
    const state = engine.snapshot().partitions[0]?.collections[0];
    expect(state?.versions).toEqual([2, 3, 4]);
  });

  it('stats() estimates the bytes held', () => {
    const engine = createEngine({ clock: new VirtualClock(T0) });
    engine.save(trigger, { name: 'a' });
    const empty = engine.stats().bytesEstimate;
    for (let i = 0; i < 100; i++) engine.ingest(row(`r${i}`, { m: 1 }));
    expect(engine.stats().bytesEstimate).toBeGreaterThan(empty + 100 * 300);
  });
});

describe('series storage', () => {
  it('releasing thousands of runs compacts the series slabs under live series, which go on exactly as before', () => {
    const make = () => {
      const engine = createEngine({
        clock: new VirtualClock(T0 + DAY + 60),
        retention: { runIdleMs: DAY, sweepEvery: 1_000_000 },
      });
      const on = (filter: Parameters<typeof OnRunMetric>[0]['filter']) =>
        OnRunMetric({ scope: 'acme/vision', filter }).do(DoNothing());
      engine.save(on(RunEvent.metric('m').mean(10).gt(0.5)), { name: 'mean', cooldownMs: 0 });
      engine.save(on(RunEvent.metric('m').max(7).gt(0.9)), { name: 'max', cooldownMs: 0 });
      engine.save(on(RunEvent.metric('m').min(5).lt(0.2)), { name: 'min', cooldownMs: 0 });
      return engine;
    };
    let seed = 37;
    const next = () => {
      seed = (seed * 9301 + 49297) % 233280; // deterministic
      return seed / 233280;
    };
    const survivor = (k: number) => `keep-${k}`;
    const compacted = make();
    // 9,000 runs that will go idle and 40 that stay. A series here is a block of 35 numbers (3 first indices,
    // headers of 3 + 3 + 3, deques of 7 and 5, a ring of 11): 9,000 fill three slabs of 131,072, so releasing
    // them leaves less than a quarter in use, and the arena compacts, moving the 40 live blocks.
    for (let r = 0; r < 9_000; r++) {
      for (let s = 0; s < 3; s++) compacted.ingest(row(`gone-${r}`, { m: next() }, { time: T0, step: s }));
    }
    const later: ReturnType<typeof row>[] = [];
    for (let s = 0; s < 60; s++) {
      for (let k = 0; k < 40; k++)
        later.push(row(survivor(k), { m: next() }, { time: T0 + DAY + s, step: s }));
    }
    const firstHalf = later.slice(0, later.length / 2);
    const secondHalf = later.slice(later.length / 2);
    const fired = [...compacted.ingestBatch(firstHalf)];
    expect(compacted.sweep()).toBe(9_000);
    expect(compacted.stats()).toMatchObject({ runs: 40, series: 40 });
    fired.push(...compacted.ingestBatch(secondHalf));

    const reference = make();
    const expected = reference.ingestBatch(later);
    const view = (f: (typeof fired)[number]) => ({ id: f.id, runId: f.runId, evidence: f.evidence });
    expect(fired.length).toBeGreaterThan(100);
    expect(fired.map(view)).toEqual(expected.map(view));
  });
});
