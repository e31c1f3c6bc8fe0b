import { afterEach, expect, it, vi } from 'vitest';
import { StagedRows } from '../../src/core/staged-rows.js';
import {
  createEngine,
  DoNothing,
  type Engine,
  type Firing,
  OnRunMetric,
  type Retention,
  RunEvent,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

// A grouped ingestBatch stages its rows' values and applies them a run's rows together. A sweep in the middle
// applies the staged rows first only when it may release one of their runs (idle, or ended): otherwise the rows
// stay staged, so a batch over many runs keeps each run's rows together however often it sweeps.

const T0 = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3600_000;
/** Above the engine's threshold for grouping a batch (16,384 events). */
const FILLER = 17_000;

afterEach(() => {
  vi.restoreAllMocks();
});

function engineWith(retention: Retention): Engine {
  const engine = createEngine({ clock: new VirtualClock(T0 + 24 * HOUR), retention });
  const trigger = OnRunMetric({ scope: 'acme', filter: RunEvent.metric('loss').gt(0.5) });
  engine.save(trigger.do(DoNothing()), { name: 'high loss', id: 'high', cooldownMs: HOUR });
  return engine;
}

const row = (i: number, runId: string, loss: number): unknown => ({
  id: `e${i}`,
  source: '/t',
  type: 'run.metrics',
  time: T0 + 1000 * i,
  data: { entity: 'acme', project: 'p', runId, metrics: { loss } },
});

/** The batch given one event at a time and all at once: what each fired, its stats and its state. */
function both(retention: Retention, events: () => unknown[]) {
  const one = engineWith(retention);
  const fired = events().flatMap((e) => [...one.ingest(e)]);
  const all = engineWith(retention);
  const together = all.ingestBatch(events());
  const ids = (fs: readonly Firing[]) => fs.map((f) => `${f.runId} ${f.event.id}`);
  return { one, all, fired: ids(fired), together: ids(together) };
}

it('a sweep that can release no staged run leaves the rows staged: the batch is applied at its end', () => {
  const flush = vi.spyOn(StagedRows.prototype, 'flush');
  // 100 runs, 170 rows each, interleaved; a sweep every 100 events (at least one per run), none idle or ended.
  const events = () => Array.from({ length: FILLER }, (_, i) => row(i, `r${i % 100}`, i % 7 === 0 ? 1 : 0));
  const { one, all, fired, together } = both({ sweepEvery: 1 }, events);
  expect(together).toEqual(fired);
  expect(fired.length).toBeGreaterThan(100);
  expect(all.stats()).toEqual(one.stats());
  // Flushed as the one segment ends (and when the batch gives back its room): not at each of the 170 sweeps.
  expect(flush.mock.calls.length).toBeLessThanOrEqual(3);
});

it('an ended run with staged rows is applied before a sweep may release it, so its cooldown keeps it', () => {
  const flush = vi.spyOn(StagedRows.prototype, 'flush');
  // Run "done" finishes at once; its rows fire (held for an hour after) while filler rows keep the batch going.
  // Released only once cooled down: a sweep that did not apply its staged rows first would see no firing, let
  // it go, and the next row would fire again on a new record.
  const events = (): unknown[] => [
    {
      id: 'end',
      source: '/t',
      type: 'run.state',
      time: T0,
      data: { entity: 'acme', project: 'p', runId: 'done', state: 'finished' },
    },
    ...Array.from({ length: FILLER }, (_, i) =>
      row(i + 1, i % 3 === 0 ? 'done' : 'other', i % 3 === 0 ? 1 : 0),
    ),
  ];
  const { one, all, fired, together } = both({ terminalRunMs: 5_000, sweepEvery: 1 }, events);
  expect(together).toEqual(fired);
  // Once an hour on the one record: e1, then each time the cooldown has run out.
  expect(fired).toEqual(['done e1', 'done e3601', 'done e7201', 'done e10801', 'done e14401']);
  expect(all.stats()).toEqual(one.stats());
  expect(all.snapshot().partitions).toEqual(one.snapshot().partitions);
  expect(flush.mock.calls.length).toBeGreaterThan(3);
});

it('an idle run with staged rows is applied before a sweep releases it', () => {
  // Run "quiet" logs twice and falls silent; swept out 3 s later, after its rows are applied (both fire: the
  // second on a new record, the first having been released).
  const events = (): unknown[] =>
    Array.from({ length: FILLER }, (_, i) =>
      row(i, i === 0 || i === 10 ? 'quiet' : `busy${i % 2}`, i === 0 || i === 10 ? 1 : 0),
    );
  const { one, all, fired, together } = both({ runIdleMs: 3_000, sweepEvery: 1 }, events);
  expect(together).toEqual(fired);
  expect(fired).toEqual(['quiet e0', 'quiet e10']);
  expect(all.stats()).toEqual(one.stats());
  expect(all.stats().evictions).toBeGreaterThan(0);
});
