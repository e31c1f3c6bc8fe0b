import { from, Observable, config as rxjsConfig } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, DoNothing, type Firing, type Issue, OnEvent, RunEvent } from '../../src/index.js';
import { fixture, row, watch } from '../helpers/fixture.js';

/** Every getter made here counts its runs: the engine must never run one. */
let ran = 0;
const getter = (value: unknown, throwAfter = 0) => {
  let reads = 0;
  return () => {
    ran += 1;
    reads += 1;
    if (reads > throwAfter) throw new TypeError('a getter ran');
    return value;
  };
};

/** `o` with an own accessor at `key`: enumerable or not, string or symbol key. */
function withAccessor<T extends object>(o: T, key: PropertyKey, value: unknown, enumerable = false): T {
  return Object.defineProperty(o, key, { get: getter(value, 1), enumerable, configurable: true });
}

/** A usual row, for the fast path; `mutate` makes it hostile. */
const usual = (id: string) => row('r1', { loss: 0.5 }, { id, step: Number(id.replace(/\D/g, '') || 0) });

function setup() {
  const f = fixture();
  watch(f.engine, RunEvent.metric('loss').gt(0));
  f.engine.save(OnEvent({ includedEventTypes: ['custom.ping'] }).do(DoNothing()), {
    name: 'ping',
    cooldownMs: 0,
  });
  return f;
}

const unhandled: unknown[] = [];
beforeEach(() => {
  ran = 0;
  unhandled.length = 0;
  rxjsConfig.onUnhandledError = (error) => unhandled.push(error);
});
afterEach(() => {
  rxjsConfig.onUnhandledError = null;
});

/** Inputs whose own properties are not all plain data, each refused at `path` without running any code. */
const HOSTILE: readonly [string, () => unknown, readonly (string | number)[]][] = [
  [
    'a non-enumerable getter on type',
    () => withAccessor({ id: 'h1', source: '/s', data: {} }, 'type', 'custom.ping'),
    ['type'],
  ],
  [
    'a non-enumerable getter on source of a usual row',
    () => {
      const { source: _s, ...rest } = usual('h2');
      return withAccessor(rest, 'source', '/test');
    },
    ['source'],
  ],
  [
    'a non-enumerable getter on data.runId',
    () => {
      const e = usual('h3');
      const { runId: _r, ...data } = e.data;
      return { ...e, data: withAccessor(data, 'runId', 'r1') };
    },
    ['data', 'runId'],
  ],
  [
    'a non-enumerable getter among the metrics',
    () => {
      const e = usual('h4');
      return { ...e, data: { ...e.data, metrics: withAccessor({ loss: 0.5 }, 'acc', 1) } };
    },
    ['data', 'metrics', 'acc'],
  ],
  [
    'an enumerable getter under a symbol key',
    () => withAccessor(usual('h5'), Symbol('meta'), 1, true),
    ['Symbol(meta)'],
  ],
  [
    'a non-enumerable getter under a symbol key, deep in data',
    () => ({
      id: 'h6',
      source: '/s',
      type: 'custom.ping',
      data: { a: [{ b: withAccessor({}, Symbol.iterator, 1) }] },
    }),
    ['data', 'a', 0, 'b', 'Symbol(Symbol.iterator)'],
  ],
  [
    'a getter at an array index',
    () => ({ id: 'h7', source: '/s', type: 'custom.ping', data: { a: withAccessor([1, 2], 1, 2) } }),
    ['data', 'a', 1],
  ],
  [
    'a getter as an extra property of an array',
    () => ({ id: 'h8', source: '/s', type: 'custom.ping', data: { a: withAccessor([1], 'extra', 2) } }),
    ['data', 'a', 'extra'],
  ],
  [
    'a non-enumerable data property holding a proxy',
    () =>
      Object.defineProperty({ id: 'h9', source: '/s', type: 'custom.ping' }, 'data', {
        value: new Proxy({}, { get: getter(1), ownKeys: getter([]) as () => string[] }),
        enumerable: false,
      }),
    ['data'],
  ],
];

describe('ingest never runs a getter, whatever the key or its enumerability', () => {
  it.each(HOSTILE)('%s is refused at its path, before anything reads the event', (_name, make, path) => {
    const { engine, issues } = setup();
    let fired: readonly Firing[] = [{} as Firing];
    expect(() => {
      fired = engine.ingest(make());
    }).not.toThrow();
    expect(fired).toEqual([]);
    expect(ran).toBe(0);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'invalid_type', path });
    expect(engine.stats()).toMatchObject({ received: 1, rejected: 1, accepted: 0, runs: 0 });
  });

  it('the refused event changed nothing: a clean resend of the same id is accepted and fires', () => {
    const { engine } = setup();
    engine.ingest(withAccessor({ id: 'same', source: '/s', data: {} }, 'type', 'custom.ping'));
    expect(engine.ingest({ id: 'same', source: '/s', type: 'custom.ping', data: {} })).toHaveLength(1);
    expect(engine.stats()).toMatchObject({ accepted: 1, rejected: 1, duplicates: 0 });
  });

  it('non-enumerable and symbol-keyed data are not JSON either: refused, never read', () => {
    const { engine, issues } = setup();
    const hidden = Object.defineProperty({ id: 'n1', source: '/s', data: {} }, 'type', {
      value: 'custom.ping',
    });
    expect(engine.ingest(hidden)).toEqual([]);
    expect(engine.ingest({ ...usual('n2'), [Symbol('tag')]: 'plain' })).toEqual([]);
    const e = usual('n3');
    Object.defineProperty(e.data.metrics, 'acc', { value: 1 });
    expect(engine.ingest(e)).toEqual([]);
    expect(issues.map((i) => [i.code, i.path, i.message])).toEqual([
      ['invalid_type', ['type'], 'a non-enumerable property is not JSON'],
      ['invalid_type', ['Symbol(tag)'], 'a symbol-keyed property is not JSON'],
      ['invalid_type', ['data', 'metrics', 'acc'], 'a non-enumerable property is not JSON'],
    ]);
  });

  it('frozen events and arrays with holes are accepted', () => {
    const { engine, issues } = setup();
    expect(engine.ingest(Object.freeze(usual('f1')))).toHaveLength(1);
    const deepFrozen = usual('f2');
    Object.freeze(deepFrozen.data.metrics);
    Object.freeze(deepFrozen.data);
    expect(engine.ingest(Object.freeze(deepFrozen))).toHaveLength(1);
    // biome-ignore lint/suspicious/noSparseArray: a hole is what is tested
    const holes = { id: 'f3', source: '/s', type: 'custom.ping', data: { a: [1, , 3] } };
    expect(engine.ingest(holes)).toHaveLength(1);
    expect(issues).toEqual([]);
  });

  it('proxies, revoked proxies, class instances and a throwing toJSON are refused without running code', () => {
    const { engine, issues } = setup();
    const trap = new Proxy(usual('p1'), { get: getter(1), getPrototypeOf: getter(null) as () => null });
    const { proxy: revoked, revoke } = Proxy.revocable(usual('p2'), {});
    revoke();
    const toJSON = { ...usual('p3'), toJSON: getter(1) };
    class Event {
      readonly id = 'p4';
      readonly source = '/s';
      get type() {
        ran += 1;
        return 'custom.ping';
      }
    }
    for (const input of [trap, revoked, toJSON, new Event()]) expect(engine.ingest(input)).toEqual([]);
    expect(ran).toBe(0);
    expect(issues.map((i) => i.code)).toEqual([
      'invalid_type',
      'invalid_type',
      'invalid_type',
      'invalid_type',
    ]);
    expect(engine.stats()).toMatchObject({ rejected: 4, accepted: 0 });
  });
});

describe('ingestBatch and connect report and go on', () => {
  const batch = () => [usual('b1'), HOSTILE[0]?.[1](), usual('b3'), HOSTILE[1]?.[1](), usual('b5')];

  it('ingestBatch: a hostile event in the middle is reported, the rest fire', () => {
    const { engine, issues } = setup();
    expect(engine.ingestBatch(batch()).map((f) => f.event.id)).toEqual(['b1', 'b3', 'b5']);
    expect(issues.map((i) => i.path)).toEqual([['type'], ['source']]);
    expect(ran).toBe(0);
  });

  it('ingestBatch over an array reads its elements without running an accessor or a hole', () => {
    const { engine, issues } = setup();
    // biome-ignore lint/suspicious/noSparseArray: a hole is what is tested
    const events: unknown[] = [usual('a1'), , usual('a3')];
    withAccessor(events, 3, usual('a4'), true);
    events.push(usual('a5'));
    expect(engine.ingestBatch(events).map((f) => f.event.id)).toEqual(['a1', 'a3', 'a5']);
    expect(ran).toBe(0);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['invalid_type', []],
      ['invalid_type', []],
    ]);
  });

  it('ingestBatch over an iterable that throws midway keeps what came before and reports the source', () => {
    const { engine, issues } = setup();
    function* events() {
      yield usual('i1');
      throw new Error('the source broke');
    }
    expect(engine.ingestBatch(events()).map((f) => f.event.id)).toEqual(['i1']);
    expect(issues).toMatchObject([{ code: 'source_error', message: expect.stringContaining('broke') }]);
  });

  it('connect(from([...])): hostile events are reported, the rest fire, nothing escapes to RxJS', () => {
    const { engine, issues } = setup();
    const fired: string[] = [];
    engine.firings$.subscribe((f) => fired.push(f.event.id));
    engine.connect(from(batch()));
    expect(fired).toEqual(['b1', 'b3', 'b5']);
    expect(issues).toHaveLength(2);
    expect(unhandled).toEqual([]);
    expect(ran).toBe(0);
  });

  it('connect takes a source whose subscribe returns nothing, or throws, and reports it', () => {
    const { engine, issues } = setup();
    const bare = { subscribe: (o: { next: (e: unknown) => void }) => o.next(usual('c1')) };
    const sub = engine.connect(bare as never);
    expect(sub.closed).toBe(false);
    expect(() => sub.unsubscribe()).not.toThrow();
    expect(engine.stats().accepted).toBe(1);
    const broken = new Observable(() => {
      throw new Error('cannot subscribe');
    });
    expect(() => engine.connect(broken)).not.toThrow();
    expect(issues).toMatchObject([{ code: 'source_error' }]);
    expect(unhandled).toEqual([]);
  });
});

describe('a plugged-in part that throws is reported, and the event is applied whole or not at all', () => {
  it('a pattern engine whose test() throws: that automation does not match, the others fire', () => {
    const patternEngine = {
      name: 'flaky',
      compile: (source: string) => ({
        source,
        test: (): boolean => {
          throw new Error('flaky engine');
        },
      }),
    };
    const { engine, issues } = fixture({ patternEngine });
    watch(engine, RunEvent.metric('loss').gt(0), { name: 'named', runFilter: { runName: '^sweep' } });
    watch(engine, RunEvent.metric('loss').gt(0), { name: 'any' });
    const e = row('r1', { loss: 1 }, { runName: 'sweep-1' });
    expect(() => engine.ingest(e)).not.toThrow();
    expect(
      engine.ingest(row('r1', { loss: 1 }, { runName: 'sweep-1' })).map((f) => f.automationName),
    ).toEqual(['any']);
    expect(issues[0]).toMatchObject({
      code: 'invalid_pattern',
      message: expect.stringContaining('flaky engine'),
    });
    expect(engine.stats()).toMatchObject({ accepted: 2, rejected: 0 });
  });

  it('a clock that throws for an event without time: refused as an internal error, nothing changed', () => {
    let broken = false;
    const clock = {
      now: () => {
        if (broken) throw new Error('clock down');
        return 0;
      },
    };
    const e2 = createEngine({ clock });
    const seen: Issue[] = [];
    e2.errors$.subscribe((i) => seen.push(i));
    e2.save(OnEvent({}).do(DoNothing()), { name: 'all' });
    broken = true;
    expect(e2.ingest({ id: 'x', source: '/s', type: 'custom.ping' })).toEqual([]);
    expect(seen).toMatchObject([{ code: 'internal_error', message: expect.stringContaining('clock down') }]);
    broken = false;
    expect(e2.ingest({ id: 'x', source: '/s', type: 'custom.ping' })).toHaveLength(1);
    expect(e2.stats()).toMatchObject({ rejected: 1, accepted: 1 });
  });
});
