import fc from 'fast-check';
import { expect, it } from 'vitest';
import { fastRunMetrics, fromJsonParse } from '../../src/events/fast-run-metrics.js';
import { type AcceptedEvent, parseEvent } from '../../src/events/parse-event.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);
const now = () => 1_767_225_600_000;
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
/** An optional attribute: absent, `null` (unset, JSON format §2.2), or a value. */
const attribute = <T>(arb: fc.Arbitrary<T>) => fc.oneof(maybe(arb), fc.constant(null));

/** Rows of the usual shape, with valid values: most should take the fast path. */
const usual = fc.record(
  {
    specversion: attribute(fc.constant('1.0')),
    id: fc.string({ minLength: 1, maxLength: 8 }),
    source: fc.constant('/acme/vision'),
    type: fc.constant('run.metrics'),
    subject: attribute(fc.string({ minLength: 1, maxLength: 8 })),
    sequence: attribute(fc.nat()),
    time: attribute(
      fc.oneof(
        fc.integer({ min: 0, max: 2e12 }),
        fc.constantFrom('2026-01-01T00:00:00Z', '2026-03-01T10:00:00.5+01:00'),
      ),
    ),
    data: fc.record(
      {
        entity: fc.constantFrom('acme', 'zeta'),
        project: fc.constant('vision'),
        runId: fc.string({ minLength: 1, maxLength: 6 }),
        runName: maybe(fc.string({ maxLength: 6 })),
        step: maybe(fc.nat()),
        metrics: fc.dictionary(
          fc.string({ minLength: 1, maxLength: 6 }),
          fc.oneof(fc.double(), fc.constantFrom('NaN', '-inf', null)),
          { maxKeys: 6 },
        ),
      },
      { requiredKeys: ['entity', 'project', 'runId', 'metrics'] },
    ),
  },
  { requiredKeys: ['id', 'source', 'type', 'data'] },
);

type Row = { [key: string]: unknown; data: { [key: string]: unknown } };

/** One field of a valid row made wrong (or odd), so every check of the fast path is met alone. */
const PERTURB: readonly ((r: Row) => void)[] = [
  (r) => (r['specversion'] = '0.3'),
  (r) => (r['id'] = ''),
  (r) => (r['id'] = 5),
  (r) => (r['source'] = ''),
  (r) => (r['type'] = 'run.state'),
  (r) => (r['time'] = 'yesterday'),
  (r) => (r['time'] = '2026-02-30T00:00:00Z'),
  (r) => (r['time'] = -5),
  (r) => (r['time'] = 1.5),
  (r) => (r['sequence'] = -1),
  (r) => (r['sequence'] = '3'),
  (r) => (r['subject'] = 'x'.repeat(4097)),
  (r) => (r['subject'] = ''),
  (r) => (r['id'] = null),
  (r) => (r['source'] = null),
  (r) => ((r as Record<string, unknown>)['data'] = null),
  (r) => (r['traceparent'] = null),
  (r) => (r['traceparent'] = '00-abc'),
  (r) => (r.data['entity'] = 'a/b'),
  (r) => (r.data['entity'] = ''),
  (r) => (r.data['project'] = 'x'.repeat(256)),
  (r) => (r.data['runId'] = ''),
  (r) => (r.data['runName'] = 'x'.repeat(1025)),
  (r) => (r.data['user'] = ''),
  (r) => (r.data['step'] = -1),
  (r) => (r.data['step'] = 2.5),
  (r) => (r.data['extra'] = 1),
  // Own keys set to undefined, and the data's keys in another order: what the fast path may read in place.
  (r) => (r.data['runName'] = undefined),
  (r) => (r.data['user'] = undefined),
  (r) => (r.data['step'] = undefined),
  (r) => ((r as Record<string, unknown>)['data'] = Object.fromEntries(Object.entries(r.data).reverse())),
  (r) => (r.data['metrics'] = []),
  (r) => (r.data['metrics'] = null),
  (r) => (r.data['metrics'] = { loss: 'high' }),
  (r) => (r.data['metrics'] = { loss: true }),
  (r) => (r.data['metrics'] = { loss: {} }),
  (r) => (r.data['metrics'] = { '': 1 }),
  (r) => (r.data['metrics'] = { ['m'.repeat(256)]: 1 }),
  // Own properties that are not enumerable string-keyed data: the full path refuses each, so must this one.
  (r) => Object.defineProperty(r, 'subject', { value: 's', enumerable: false }),
  (r) => Object.defineProperty(r, 'subject', { set() {}, enumerable: true }),
  (r) => Object.defineProperty(r, Symbol('tag'), { value: 1, enumerable: true }),
  (r) => Object.defineProperty(r.data, 'user', { value: 'u', enumerable: false }),
  (r) => Object.defineProperty(r.data, Symbol('tag'), { value: 1, enumerable: false }),
  (r) => Object.defineProperty(r.data['metrics'] as object, 'm', { value: 1, enumerable: false }),
  (r) => Object.defineProperty(r.data['metrics'] as object, 'm', { get: () => 1, enumerable: true }),
  (r) => Object.defineProperty(r.data['metrics'] as object, Symbol('m'), { value: 1, enumerable: true }),
];

/** What a consumer reads of an accepted event: the fast path builds `event` lazily, so read it through. */
function view(a: AcceptedEvent): unknown {
  return {
    kind: a.kind,
    id: a.id,
    source: a.source,
    time: a.time,
    event: a.event,
    ...('data' in a && { data: a.data }),
  };
}

/** Equal as values: keys sorted (zod lists schema keys first), NaN and ±Infinity kept apart from null. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'number' && !Number.isFinite(x)) return `#${x}`;
    if (typeof x === 'object' && x !== null && !Array.isArray(x)) {
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, (x as Record<string, unknown>)[k]]),
      );
    }
    return x;
  });
}

it('the run.metrics fast path accepts only what the full path accepts, with the same result', () => {
  let fast = 0;
  fc.assert(
    fc.property(usual, fc.option(fc.nat({ max: PERTURB.length - 1 }), { freq: 4 }), (base, which) => {
      const input = structuredClone(base) as Row;
      if (which !== null) PERTURB[which]?.(input);
      const quick = fastRunMetrics(input, now);
      const full = parseEvent(input, now);
      if (quick === undefined) return;
      fast += 1;
      expect(full.ok).toBe(true);
      if (!full.ok) return;
      expect(canonical(view(quick))).toBe(canonical(view(full.value)));
      // What canonical() cannot see: own keys holding undefined, and the order of the event's data.
      if ('data' in quick && 'data' in full.value)
        expect(Object.keys(quick.data).sort()).toEqual(Object.keys(full.value.data).sort());
      expect(Object.keys(quick.event.data ?? {})).toEqual(Object.keys(full.value.event.data ?? {}));
    }),
    { numRuns: runs * 5 },
  );
  // Not vacuous: plenty of rows went the fast way.
  expect(fast).toBeGreaterThan(runs / 10);
});

it('takes the usual row, and leaves extension attributes and accessors to the full path', () => {
  const usual = {
    specversion: '1.0',
    id: 'e1',
    source: '/a/b',
    type: 'run.metrics',
    time: '2026-01-01T00:00:00Z',
    data: { entity: 'a', project: 'b', runId: 'r', step: 3, metrics: { loss: 0.5, acc: 'NaN', skip: null } },
  };
  expect((fastRunMetrics(usual, now) as { data?: unknown } | undefined)?.data).toEqual({
    entity: 'a',
    project: 'b',
    runId: 'r',
    step: 3,
    metrics: { loss: 0.5, acc: Number.NaN },
  });
  expect(fastRunMetrics({ ...usual, traceparent: 'x' }, now)).toBeUndefined();
  let ran = false;
  const getter = { ...usual, data: { ...usual.data } };
  Object.defineProperty(getter.data, 'runId', {
    enumerable: true,
    get: () => {
      ran = true;
      return 'r';
    },
  });
  expect(fastRunMetrics(getter, now)).toBeUndefined();
  expect(ran).toBe(false);
});

it('reads an all-number row in place, but the event a firing carries is a copy of it', () => {
  const metrics = { loss: 0.5, acc: 0.9 };
  const row = {
    id: 'e1',
    source: '/a',
    type: 'run.metrics',
    data: { entity: 'a', project: 'b', runId: 'r', metrics },
  };
  const accepted = fastRunMetrics(row, now);
  if (accepted?.kind !== 'run.metrics') throw new Error('the usual row takes the fast path');
  expect(accepted.names).toEqual(['loss', 'acc']);
  expect(accepted.data).toBe(row.data); // the usual row's data too: nothing is copied for it
  expect(Object.keys(accepted.event.data ?? {})).toEqual(['entity', 'project', 'runId', 'metrics']);
  const event = accepted.event;
  expect(event.data?.metrics).not.toBe(metrics);
  expect(Object.getPrototypeOf(event.data?.metrics)).toBe(null);
  metrics.loss = 7; // after the copy: the firing's event keeps what was accepted
  expect(event.data?.metrics).toEqual({ loss: 0.5, acc: 0.9 });
  expect(accepted.event).toBe(event);
});

it('leaves a row to the full path when a tampered Object.prototype adds an enumerable key', () => {
  const row = {
    id: 'e1',
    source: '/a',
    type: 'run.metrics',
    data: { entity: 'a', project: 'b', runId: 'r', metrics: {} },
  };
  expect(fastRunMetrics(row, now)).toBeDefined();
  Object.defineProperty(Object.prototype, 'polluted', {
    value: 1,
    enumerable: true,
    configurable: true,
    writable: true,
  });
  try {
    expect(fastRunMetrics(row, now)).toBeUndefined();
  } finally {
    delete (Object.prototype as Record<string, unknown>)['polluted'];
  }
});

it("an event vouched for as JSON.parse's own gets the same answer as when it is checked", () => {
  fc.assert(
    fc.property(usual, (base) => {
      const text = JSON.stringify(base);
      const checked = fastRunMetrics(JSON.parse(text), now);
      const vouched = JSON.parse(text) as object;
      fromJsonParse(vouched);
      const quick = fastRunMetrics(vouched, now);
      expect(quick === undefined).toBe(checked === undefined);
      if (quick !== undefined && checked !== undefined)
        expect(canonical(view(quick))).toBe(canonical(view(checked)));
    }),
    { numRuns: runs * 2 },
  );
});

it('a vouch covers that one object, for the next call only: an accessor elsewhere still goes the full way, unread', () => {
  const text = JSON.stringify({
    id: 'e1',
    source: '/a',
    type: 'run.metrics',
    data: { entity: 'a', project: 'b', runId: 'r', metrics: { loss: 1 } },
  });
  let ran = 0;
  const withGetter = (): object => {
    const row = JSON.parse(text) as { data: { metrics: object } };
    Object.defineProperty(row.data.metrics, 'acc', { enumerable: true, get: () => ++ran });
    return row;
  };
  // Vouched for one object, given another.
  fromJsonParse(JSON.parse(text) as object);
  expect(fastRunMetrics(withGetter(), now)).toBeUndefined();
  // Vouched for, read once, then changed: the next read checks it again.
  const row = JSON.parse(text) as object;
  fromJsonParse(row);
  expect(fastRunMetrics(row, now)).toBeDefined();
  Object.defineProperty((row as { data: { metrics: object } }).data.metrics, 'acc', {
    enumerable: true,
    get: () => ++ran,
  });
  expect(fastRunMetrics(row, now)).toBeUndefined();
  expect(ran).toBe(0);
});
