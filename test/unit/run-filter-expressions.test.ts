import { describe, expect, it } from 'vitest';
import {
  createEngine,
  DefinitionError,
  DoNothing,
  type Engine,
  events,
  OnEvent,
  OnRunMetric,
  OnRunState,
  type PatternEngine,
  RunEvent,
  type RunFilter,
  re2jsEngine,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const where = { entity: 'acme', project: 'vision' };
let n = 0;

function engineWith(runFilter: RunFilter, patternEngine?: PatternEngine): Engine {
  const engine = createEngine({
    clock: new VirtualClock(T0),
    ...(patternEngine !== undefined && { patternEngine }),
  });
  engine.save(
    OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('loss').gt(0), runFilter }).do(DoNothing()),
    { name: 'loss', cooldownMs: 0 },
  );
  return engine;
}
const row = (runId: string, extra: Record<string, unknown> = {}) =>
  events.runMetrics({ ...where, runId, metrics: { loss: 1 }, time: T0 + ++n, ...extra });
const fires = (engine: Engine, event: ReturnType<typeof row>) => engine.ingest(event).length;

describe('general run filters: W&B’s MongoDB-style JSON (§3.5)', () => {
  it('the SDK’s example: name contains, config below, tags in', () => {
    const engine = engineWith({
      $and: [
        { display_name: { $contains: 'my-run' } },
        { 'config.lr': { $lt: 0.01 } },
        { tags: { $in: ['prod'] } },
      ],
    });
    expect(fires(engine, row('a', { runName: 'my-run-1', tags: ['prod', 'x'], config: { lr: 0.001 } }))).toBe(
      1,
    );
    expect(fires(engine, row('b', { runName: 'my-run-2', tags: ['dev'], config: { lr: 0.001 } }))).toBe(0);
    expect(fires(engine, row('c', { runName: 'my-run-3', tags: ['prod'], config: { lr: 0.1 } }))).toBe(0);
    expect(fires(engine, row('d', { runName: 'other', tags: ['prod'], config: { lr: 0.001 } }))).toBe(0);
  });

  it('$not around a clause (the SDK) and inside a field (MongoDB) both negate', () => {
    for (const runFilter of [
      { $not: { display_name: { $regex: '^tmp' } } },
      { display_name: { $not: { $regex: '^tmp' } } },
    ]) {
      const engine = engineWith(runFilter);
      expect(fires(engine, row('a', { runName: 'tmp-1' }))).toBe(0);
      expect(fires(engine, row('b', { runName: 'keep-1' }))).toBe(1);
      expect(fires(engine, row('c'))).toBe(1); // no name: a missing field, which $regex never matches
    }
  });

  it('{ "$and": [] } (the SDK’s "no filter") matches every run', () => {
    const engine = engineWith({ $and: [] });
    expect(fires(engine, row('a'))).toBe(1);
  });

  it('tags never given are missing, not []: $exists false and $nin hold, $size 0 does not', () => {
    expect(fires(engineWith({ tags: { $exists: false } }), row('a'))).toBe(1);
    expect(fires(engineWith({ tags: { $nin: ['x'] } }), row('a'))).toBe(1);
    expect(fires(engineWith({ tags: { $size: 0 } }), row('a'))).toBe(0);
    expect(fires(engineWith({ tags: { $size: 0 } }), row('a', { tags: [] }))).toBe(1);
  });

  it('comparisons never cross types, and an array field matches when any element does', () => {
    const engine = engineWith({ $or: [{ 'config.depth': { $gt: 10 } }, { 'config.sizes': { $gte: 64 } }] });
    expect(fires(engine, row('a', { config: { depth: '50' } }))).toBe(0); // a string is never $gt a number
    expect(fires(engine, row('b', { config: { depth: 50 } }))).toBe(1);
    expect(fires(engine, row('c', { config: { sizes: [8, 128] } }))).toBe(1);
  });

  it('run.updated changes what the run is and fires nothing by itself; OnEvent sees it', () => {
    const engine = engineWith({ tags: 'prod' });
    engine.save(OnEvent({ includedEventTypes: ['run.updated'] }).do(DoNothing()), { name: 'seen' });
    expect(fires(engine, row('a'))).toBe(0);
    const update = events.runUpdated({ ...where, runId: 'a', tags: ['prod'], time: T0 + ++n });
    expect(engine.ingest(update).map((f) => f.automationName)).toEqual(['seen']);
    expect(fires(engine, row('a'))).toBe(1);
    engine.ingest(events.runUpdated({ ...where, runId: 'a', tags: [], time: T0 + ++n }));
    expect(fires(engine, row('a'))).toBe(0);
  });

  it('a run state filter sees the state the run changes to', () => {
    const engine = createEngine({ clock: new VirtualClock(T0) });
    engine.save(
      OnRunState({
        scope: 'acme/vision',
        states: ['failed', 'finished'],
        runFilter: { 'config.sweep': true },
      }).do(DoNothing()),
      { name: 's' },
    );
    const state = (runId: string, s: 'failed' | 'finished', config?: { sweep: boolean }) =>
      engine.ingest(events.runState({ ...where, runId, state: s, time: T0 + ++n, ...(config && { config }) }))
        .length;
    expect(state('a', 'failed', { sweep: true })).toBe(1);
    expect(state('b', 'failed', { sweep: false })).toBe(0);
    expect(state('b', 'finished', { sweep: true })).toBe(1);
  });

  it('compiles once and keeps each run’s verdict: a metric value never walks the expression again', () => {
    let tests = 0;
    const counting: PatternEngine = {
      name: 'counting',
      compile(source) {
        const p = re2jsEngine.compile(source);
        const test = (s: string): boolean => {
          tests += 1;
          return p.test(s);
        };
        return { source, test };
      },
    };
    const engine = engineWith(
      { $and: [{ display_name: { $regex: '^sweep-' } }, { tags: 'prod' }] },
      counting,
    );
    engine.ingest(
      events.runUpdated({ ...where, runId: 'a', runName: 'sweep-1', tags: ['prod'], time: T0 + ++n }),
    );
    for (let i = 0; i < 100; i++) expect(fires(engine, row('a', { runName: 'sweep-1' }))).toBe(1);
    expect(tests).toBe(1);
    engine.ingest(events.runUpdated({ ...where, runId: 'a', config: { lr: 1 }, time: T0 + ++n }));
    expect(fires(engine, row('a'))).toBe(1);
    expect(tests).toBe(2); // the config changed: judged again, once
  });

  it('keeps tags and config across snapshot and restore', () => {
    const engine = engineWith({ 'config.opt.name': 'adam' });
    engine.ingest(
      events.runUpdated({ ...where, runId: 'a', config: { opt: { name: 'adam' } }, time: T0 + ++n }),
    );
    const again = createEngine({
      clock: new VirtualClock(T0),
      state: JSON.parse(JSON.stringify(engine.snapshot())),
    });
    expect(fires(again, row('a'))).toBe(1);
    expect(fires(again, row('b'))).toBe(0);
  });

  it.each([
    [{ display_nam: 'x' }, [], 'display_nam', 'unrecognized_keys'],
    [{ $and: [{ tags: { $near: 1 } }] }, ['$and', 0, 'tags'], '$near', 'unrecognized_keys'],
    [{ display_name: { $regex: '(?=x)' } }, ['display_name', '$regex'], '(?=x)', 'invalid_pattern'],
    [{ tags: { $in: 'prod' } }, ['tags', '$in'], 'prod', 'invalid_type'],
    [{ config: { lr: 1 } }, [], 'config', 'unrecognized_keys'],
    [{ $or: {} }, ['$or'], {}, 'invalid_type'],
  ] as const)('refuses %j at save, naming the path and the value', (runFilter, path, value, code) => {
    try {
      OnRunMetric({ scope: 'acme', filter: RunEvent.metric('m').gt(0), runFilter: runFilter as RunFilter });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DefinitionError);
      expect((error as DefinitionError).issues[0]).toMatchObject({
        code,
        path: ['runFilter', ...path],
        value,
      });
    }
  });

  it('runUpdated validates its input: tags are strings, config an object', () => {
    expect(() => events.runUpdated({ ...where, runId: 'a', tags: [1 as unknown as string] })).toThrow(
      DefinitionError,
    );
    expect(() => events.runUpdated({ ...where, runId: 'a', config: [] as never })).toThrow(DefinitionError);
  });
});
