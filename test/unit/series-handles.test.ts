import { expect, it } from 'vitest';
import { DoNothing, OnRunMetric, RunEvent } from '../../src/index.js';
import type { AggregateSpec } from '../../src/windows/aggregate.js';
import { SeriesArena } from '../../src/windows/arena.js';
import { SeriesLayout } from '../../src/windows/layout.js';
import { MetricSeries } from '../../src/windows/metric-series.js';
import { DAY, fixture, row, T0 } from '../helpers/fixture.js';

const reader = (...needs: AggregateSpec[]) => ({ filter: { needs, history: 1 } });
const sum = (size: number): AggregateSpec => ({ kind: 'sum', size, lag: 0 });

it('one view shows many series by handle, each with its own values, count and step', () => {
  const arena = new SeriesArena();
  const layout = new SeriesLayout([reader(sum(3))]);
  const view = new MetricSeries(arena, layout);
  const handles = [view.handle];
  for (let i = 1; i < 50; i++) {
    view.create(layout);
    handles.push(view.handle);
  }
  handles.forEach((h, i) => {
    view.bind(h);
    for (let k = 0; k <= i % 5; k++) view.push(i * 10 + k);
    view.lastStep = i;
  });
  handles.forEach((h, i) => {
    view.bind(h);
    const n = (i % 5) + 1;
    expect(view.count).toBe(n);
    expect(view.lastStep).toBe(i);
    expect(view.at(n - 1)).toBe(i * 10 + n - 1);
    expect(view.sum(layout.aggregates[0]!.offset)).toBe(
      Array.from({ length: n }, (_, k) => i * 10 + k)
        .slice(-3)
        .reduce((a, b) => a + b, 0),
    );
  });
});

it('a layout is forgotten once no series follows it: replaced definitions are not kept alive', () => {
  const arena = new SeriesArena();
  const a = new SeriesLayout([reader(sum(3))]);
  const b = new SeriesLayout([reader(sum(5))]);
  const view = new MetricSeries(arena, a);
  const first = view.handle;
  view.create(a);
  const second = view.handle;
  expect(arena.layouts.size).toBe(1);
  view.push(4);
  view.migrate(b);
  expect(view.handle).toBe(second);
  expect(view.count).toBe(1);
  expect(arena.layouts.size).toBe(2);
  MetricSeries.free(arena, first);
  expect(arena.layouts.size).toBe(1);
  expect(arena.layouts.layouts).toContain(b);
  MetricSeries.free(arena, second);
  expect(arena.layouts.size).toBe(0);
  expect(arena.used).toBe(0);
});

it('a listener that ingests while a run fires leaves the run’s other automations reading that run’s series', () => {
  const { engine, clock } = fixture();
  clock.set(T0 + DAY);
  engine.save(OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(-1e9) }).do(DoNothing()), {
    name: 'value',
  });
  engine.save(
    OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').sum(2).gt(-1e9) }).do(DoNothing()),
    { name: 'sum', cooldownMs: 0 },
  );
  let inside = false;
  engine.on('suppressed', () => {
    if (inside) return;
    inside = true;
    engine.ingest(row('other', { m: 100 }, { time: T0 }));
    inside = false;
  });
  expect(engine.ingest(row('r', { m: 1 }, { time: T0 }))).toHaveLength(1);
  // `value` is held back by its cooldown (the listener ingests), then `sum` reads r's two values.
  const fired = engine.ingest(row('r', { m: 2 }, { time: T0 + 1 }));
  expect(fired.map((f) => [f.automationName, f.evidence?.values, f.evidence?.aggregate])).toEqual([
    ['sum', [1, 2], 3],
  ]);
});

it('a listener that ingests while a row fires leaves that row’s other values as they were', () => {
  const { engine, clock } = fixture();
  clock.set(T0 + DAY);
  engine.save(OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('a').gt(-1e9) }).do(DoNothing()), {
    name: 'a',
  });
  engine.save(OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('b').gt(10) }).do(DoNothing()), {
    name: 'b',
    cooldownMs: 0,
  });
  let inside = false;
  engine.on('suppressed', () => {
    if (inside) return;
    inside = true;
    // Read by the same fast path, into the same place as the row that is firing: two values, both 0.
    engine.ingest(row('other', { a: 0, b: 0 }, { time: T0 }));
    engine.ingest({ ...row('third', { a: 0, b: 0 }, { time: T0 }), extra: 'goes the full way' });
    inside = false;
  });
  expect(engine.ingest(row('r', { a: 1, b: 1 }, { time: T0 }))).toHaveLength(1);
  // `a` is held back by its cooldown while its listener ingests two rows; `b` then reads r's own b, 50.
  const fired = engine.ingest(row('r', { a: 2, b: 50 }, { time: T0 + 1 }));
  expect(fired.map((f) => [f.automationName, f.evidence?.values])).toEqual([['b', [50]]]);
});
