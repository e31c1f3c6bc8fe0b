import { describe, expect, it } from 'vitest';
import {
  DoNothing,
  type Firing,
  type IngestResult,
  isEngineClosedError,
  OnRunMetric,
  RunEvent,
} from '../../src/index.js';
import { DAY, fixture, HOUR, row, T0, watch } from '../helpers/fixture.js';

const above = RunEvent.metric('loss').gt(1);

describe('apply(event): what became of each event', () => {
  it('accepted, with what it fired, in the order ingest gives them, and emitted as ingest emits them', () => {
    const { engine } = fixture();
    const a = watch(engine, above);
    const b = watch(engine, RunEvent.metric('loss').gt(0));
    const emitted: Firing[] = [];
    engine.firings$.subscribe((f) => emitted.push(f));
    const result = engine.apply(row('r1', { loss: 2 }, { time: T0 }));
    expect(result.status).toBe('accepted');
    expect(result.issues).toEqual([]);
    expect(result.suppressed).toEqual([]);
    expect(result.firings.map((f) => f.automationId)).toEqual([a.id, b.id]);
    expect(result.firings[0]?.evidence).toMatchObject({ metric: 'loss', values: [2] });
    expect(emitted).toEqual(result.firings);
    expect(engine.apply(row('r1', { loss: 0.5 }, { time: T0 + 1 }))).toEqual({
      status: 'accepted',
      issues: [],
      firings: [expect.objectContaining({ automationId: b.id })],
      suppressed: [],
    });
    expect(engine.apply(row('r1', { other: 5 }, { time: T0 + 2 })).firings).toEqual([]);
  });

  it('rejected, with the issues that refused it (also on errors$), and nothing fired or counted as accepted', () => {
    const { engine, issues } = fixture();
    watch(engine, above);
    const result = engine.apply({
      id: 'bad',
      source: '/test',
      type: 'run.metrics',
      data: { entity: 'acme' },
    });
    expect(result.status).toBe('rejected');
    expect(result.firings).toEqual([]);
    expect(result.issues.length).toBeGreaterThan(0);
    expect(result.issues.every((i) => i.eventId === 'bad' && i.source === '/test')).toBe(true);
    expect(result.issues.map((i) => i.path[0])).toContain('data');
    expect(issues).toEqual(result.issues);
    expect(engine.stats()).toMatchObject({ received: 1, rejected: 1, accepted: 0 });
    expect(engine.apply('not an event')).toMatchObject({ status: 'rejected', firings: [], suppressed: [] });
    expect(engine.apply({ ...row('r1', { loss: 9 }), time: T0 + DAY })).toMatchObject({
      status: 'rejected',
      issues: [expect.objectContaining({ code: 'out_of_range', path: ['time'] })],
    });
  });

  it('duplicate: a (source, id) accepted before is ignored, with no issue', () => {
    const { engine } = fixture();
    watch(engine, above);
    const event = row('r1', { loss: 2 }, { time: T0 });
    expect(engine.apply(event).status).toBe('accepted');
    expect(engine.apply(event)).toEqual({ status: 'duplicate', issues: [], firings: [], suppressed: [] });
    expect(engine.stats().duplicates).toBe(1);
  });

  it('accepted with the out-of-order values it dropped as its issues', () => {
    const { engine } = fixture();
    watch(engine, above);
    engine.apply(row('r1', { loss: 0 }, { time: T0, step: 5 }));
    const result = engine.apply(row('r1', { loss: 3, acc: 1 }, { time: T0 + 1, step: 5 }));
    expect(result.status).toBe('accepted');
    expect(result.firings).toEqual([]);
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'out_of_order', path: ['data', 'step'], value: 5 }),
    ]);
  });

  it('suppressed: the matches the cooldown held back, with automation, run, time and evidence', () => {
    const { engine, clock } = fixture();
    clock.set(T0 + DAY); // the events below are not ahead of the clock (maxFutureMs)
    const saved = engine.save(OnRunMetric({ scope: 'acme/vision', filter: above }).do(DoNothing()), {
      name: 'loss-high',
      cooldownMs: DAY,
    });
    expect(engine.apply(row('r1', { loss: 2 }, { time: T0 })).firings).toHaveLength(1);
    const held = engine.apply(row('r1', { loss: 4 }, { time: T0 + HOUR }));
    expect(held.status).toBe('accepted');
    expect(held.firings).toEqual([]);
    expect(held.suppressed).toEqual([
      expect.objectContaining({
        automationId: saved.id,
        automationName: 'loss-high',
        runId: 'r1',
        entity: 'acme',
        project: 'vision',
        time: T0 + HOUR,
        evidence: expect.objectContaining({ metric: 'loss', values: [4], threshold: 1 }),
      }),
    ]);
    expect(engine.stats().suppressed).toBe(1);
  });

  it('a listener that throws is reported on errors$, not as an issue of the event', () => {
    const { engine, issues } = fixture();
    watch(engine, above);
    engine.on('fired', () => {
      throw new Error('boom');
    });
    const result = engine.apply(row('r1', { loss: 2 }, { time: T0 }));
    expect(result.issues).toEqual([]);
    expect(issues.map((i) => i.code)).toEqual(['listener_failed']);
  });

  it('an event a listener applies while another is applied keeps its outcome apart, and the first keeps all of its own', () => {
    const { engine } = fixture();
    watch(engine, above);
    const inner: IngestResult[] = [];
    engine.on('error', (i) => {
      if (i.eventId === 'bad' && inner.length === 0) inner.push(engine.apply({ id: 'worse', source: '/t' }));
    });
    // Two issues: the listener applies another event after the first; the second is still the first event's.
    const result = engine.apply({
      id: 'bad',
      source: '/test',
      type: 'run.metrics',
      data: { entity: 'acme' },
    });
    expect(result.issues.length).toBeGreaterThan(1);
    expect(result.issues.every((i) => i.eventId === 'bad')).toBe(true);
    expect(inner[0]?.status).toBe('rejected');
    expect(inner[0]?.issues.length).toBeGreaterThan(0);
    expect(inner[0]?.issues.every((i) => i.eventId === 'worse')).toBe(true);
  });

  it('an event a listener ingests while another is applied adds nothing to that outcome', () => {
    const { engine } = fixture();
    watch(engine, above);
    let ingested = false;
    engine.on('error', (i) => {
      if (i.eventId !== 'bad' || ingested) return;
      ingested = true;
      engine.ingest({ id: 'worse', source: '/t' });
      engine.ingestBatch([{ id: 'worst', source: '/t' }]);
    });
    const result = engine.apply({
      id: 'bad',
      source: '/test',
      type: 'run.metrics',
      data: { entity: 'acme' },
    });
    expect(ingested).toBe(true);
    expect(result.issues.length).toBeGreaterThan(1);
    expect(result.issues.every((i) => i.eventId === 'bad')).toBe(true);
  });

  it('so does a large batch a listener applies grouped while another event is applied', () => {
    const { engine } = fixture();
    watch(engine, above);
    const batch = Array.from({ length: 17_000 }, (_, i) => row(`r${i % 50}`, { loss: 0 }, { time: T0 + i }));
    let inner: readonly IngestResult[] = [];
    engine.on('error', (i) => {
      if (i.eventId === 'bad' && inner.length === 0) inner = engine.applyBatch(batch);
    });
    const result = engine.apply({
      id: 'bad',
      source: '/test',
      type: 'run.metrics',
      data: { entity: 'acme' },
    });
    expect(inner.length).toBe(17_000);
    expect(result.issues.length).toBeGreaterThan(1);
    expect(result.issues.every((i) => i.eventId === 'bad')).toBe(true);
  });

  it('throws EngineClosedError after close(), as ingest does', async () => {
    const { engine } = fixture();
    await engine.close();
    expect(() => engine.apply(row('r1', { loss: 2 }))).toThrow(expect.toSatisfy(isEngineClosedError));
    expect(() => engine.applyBatch([])).toThrow(expect.toSatisfy(isEngineClosedError));
  });
});

describe('applyBatch(events): one result per event, in order', () => {
  it('gives each event its outcome, an accessor element of an array rejected unread', () => {
    const { engine } = fixture();
    watch(engine, above);
    const first = row('r1', { loss: 2 }, { time: T0 });
    const events: unknown[] = [first, first, { type: 'nope' }, row('r2', { loss: 0 }, { time: T0 })];
    Object.defineProperty(events, 4, {
      enumerable: true,
      get() {
        throw new Error('never read');
      },
    });
    const results = engine.applyBatch(events);
    expect(results.map((r) => r.status)).toEqual([
      'accepted',
      'duplicate',
      'rejected',
      'accepted',
      'rejected',
    ]);
    expect(results[0]?.firings).toHaveLength(1);
    expect(results[3]?.firings).toEqual([]);
    expect(results[4]?.issues).toEqual([expect.objectContaining({ code: 'invalid_type' })]);
    expect(engine.stats()).toMatchObject({ received: 5, accepted: 2, duplicates: 1, rejected: 2 });
  });

  it('a large array is applied grouped by run, each event with the outcome applying it alone gives', () => {
    // 16,384 events or more are grouped (docs/semantics.md, Large batches): here 20,000 over 100 runs.
    const rows = Array.from({ length: 20_000 }, (_, i) =>
      row(`r${i % 100}`, { loss: i % 9 === 0 ? 2 : 0 }, { time: T0 + i, id: `e${i}` }),
    );
    const events: unknown[] = [...rows, rows[0], { type: 'nope' }];
    const a = fixture();
    watch(a.engine, above, { name: 'high', cooldownMs: HOUR });
    const b = fixture();
    watch(b.engine, above, { name: 'high', cooldownMs: HOUR });
    const alone = events.map((e) => a.engine.apply(e));
    const grouped = b.engine.applyBatch(events);
    expect(grouped).toEqual(alone);
    expect(grouped.filter((r) => r.firings.length > 0)).toHaveLength(100);
    expect(grouped.filter((r) => r.suppressed.length > 0).length).toBeGreaterThan(0);
    expect(grouped.slice(-2).map((r) => r.status)).toEqual(['duplicate', 'rejected']);
    expect(b.engine.stats()).toEqual(a.engine.stats());
  });

  it('fires what ingestBatch fires, event for event', () => {
    const events = [0, 1, 2, 3].map((i) => row(`r${i % 2}`, { loss: i }, { time: T0 + i, id: `e${i}` }));
    const a = fixture();
    watch(a.engine, above);
    const b = fixture();
    watch(b.engine, above);
    const plain = a.engine.ingestBatch(events).map((f) => [f.id, f.time, f.evidence]);
    const applied = b.engine.applyBatch(events).flatMap((r) => r.firings);
    expect(applied.map((f) => [f.id, f.time, f.evidence])).toEqual(plain);
    expect(plain).toHaveLength(2);
  });
});
