import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkInputLimits,
  DEFAULT_INPUT_LIMITS,
  type InputLimits,
  inputLimitsSchema,
} from '../../src/events/input-limits.js';
import { parseEvent } from '../../src/events/parse-event.js';
import {
  createEngine,
  DoNothing,
  type Firing,
  type Issue,
  OnAddArtifactTag,
  OnCreateArtifact,
  OnEvent,
  OnRunMetric,
  RunEvent,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const limits = (given: Partial<InputLimits>): InputLimits => ({ ...DEFAULT_INPUT_LIMITS, ...given });

/** An event whose data holds `inner` at data.x, so paths start ['data', 'x']. */
const holding = (inner: unknown) => ({ id: 'e1', source: '/s', type: 'foreign.thing', data: { x: inner } });

/** `depth` arrays nested in each other, built in a loop so that building it cannot overflow the stack either. */
function nested(depth: number): unknown {
  let v: unknown = [];
  for (let d = 1; d < depth; d++) v = [v];
  return v;
}

function engineWithIssues() {
  const engine = createEngine({ clock: new VirtualClock(0) });
  const issues: Issue[] = [];
  engine.errors$.subscribe((i) => issues.push(i));
  return { engine, issues };
}

describe('checkInputLimits: each limit at its boundary', () => {
  it('maxEventBytes: exactly the limit passes, one byte more is too_big at the root', () => {
    const event = holding(['a'.repeat(100), 12345, -7, true, false, null, { k: 'v' }, []]);
    const bytes = JSON.stringify(event).length;
    expect(checkInputLimits(event, limits({ maxEventBytes: bytes }))).toBeUndefined();
    expect(checkInputLimits(event, limits({ maxEventBytes: bytes - 1 }))).toMatchObject({
      code: 'too_big',
      path: [],
      message: expect.stringContaining('maxEventBytes'),
      eventId: 'e1',
      source: '/s',
    });
  });

  it('maxEventBytes: the size counted is JSON.stringify length for ASCII text and integers', () => {
    const text = fc.string({ unit: fc.constantFrom(...'abcXYZ019 _-./:'.split('')), maxLength: 12 });
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer({ min: -1e14, max: 1e14 }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(text, tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        const bytes = JSON.stringify(value).length;
        expect(checkInputLimits(value, limits({ maxEventBytes: bytes }))).toBeUndefined();
        expect(checkInputLimits(value, limits({ maxEventBytes: bytes - 1 }))?.code).toBe('too_big');
      }),
    );
  });

  it('maxEventBytes at its default, 1 MiB, through parseEvent', () => {
    const chunk = 'x'.repeat(60_000);
    const event = { id: 'big', source: '/s', type: 'foreign.big', data: { parts: [chunk] as string[] } };
    // Fill with whole chunks, then one last string (quotes and comma included) that lands exactly on 1 MiB.
    while (JSON.stringify(event).length + 60_003 <= 1_048_576) event.data.parts.push(chunk);
    event.data.parts.push('y'.repeat(1_048_576 - JSON.stringify(event).length - 3));
    expect(JSON.stringify(event).length).toBe(1_048_576);
    expect(parseEvent(event, () => 0).ok).toBe(true);
    event.data.parts.push('');
    const refused = parseEvent(event, () => 0);
    expect(refused).toMatchObject({
      ok: false,
      issues: [{ code: 'too_big', path: [], message: expect.stringContaining('1048576') }],
    });
  });

  it('maxStringLength: 64 KiB passes, one more character is too_big at its path, valued by its length', () => {
    const at = {
      id: 'm',
      source: '/s',
      type: 'run.metrics',
      data: { metrics: { loss: 'x'.repeat(65_536) } },
    };
    expect(checkInputLimits(at)).toBeUndefined();
    const over = { ...at, data: { metrics: { loss: 'x'.repeat(65_537) } } };
    expect(checkInputLimits(over)).toEqual({
      code: 'too_big',
      path: ['data', 'metrics', 'loss'],
      message: expect.stringContaining('maxStringLength'),
      value: 65_537,
      eventId: 'm',
      source: '/s',
    });
  });

  it('maxStringLength applies to keys too, reported at the object holding the key', () => {
    expect(checkInputLimits(holding({ ['k'.repeat(65_536)]: 1 }))).toBeUndefined();
    expect(checkInputLimits(holding({ ['k'.repeat(65_537)]: 1 }))).toMatchObject({
      code: 'too_big',
      path: ['data', 'x'],
      message: expect.stringContaining('a key has at most 65536'),
      value: 65_537,
    });
  });

  it('a 100 MB string costs no more than its length check', () => {
    const huge = 'x'.repeat(100_000_000);
    const started = performance.now();
    for (let i = 0; i < 1000; i++) checkInputLimits(holding(huge));
    expect(performance.now() - started).toBeLessThan(500);
    expect(checkInputLimits(holding(huge))).toMatchObject({ code: 'too_big', path: ['data', 'x'] });
  });

  it('maxDepth: 32 nested containers pass, 33 are too_big at the innermost', () => {
    expect(checkInputLimits(nested(32))).toBeUndefined();
    const refused = checkInputLimits(nested(33));
    expect(refused).toMatchObject({
      code: 'too_big',
      message: expect.stringContaining('maxDepth'),
      value: 33,
    });
    expect(refused?.path).toEqual(Array.from({ length: 32 }, () => 0));
    // The event counts: it is depth 1 and its data depth 2.
    expect(checkInputLimits(holding(nested(30)))).toBeUndefined();
    expect(checkInputLimits(holding(nested(31)))?.path.slice(0, 3)).toEqual(['data', 'x', 0]);
  });

  it('a 100,000-deep array is refused at depth 33, and walked without recursion when the limit allows', () => {
    const deep = nested(100_000);
    expect(checkInputLimits(deep)).toMatchObject({ code: 'too_big', value: 33 });
    expect(checkInputLimits(deep, limits({ maxDepth: Number.POSITIVE_INFINITY }))).toBeUndefined();
    const { engine, issues } = engineWithIssues();
    expect(engine.ingest(holding(deep))).toEqual([]);
    expect(issues).toMatchObject([{ code: 'too_big', eventId: 'e1' }]);
    expect(engine.stats()).toMatchObject({ received: 1, rejected: 1, accepted: 0 });
  });

  it('a million-deep object costs at most the depth limit', () => {
    let deep: unknown = {};
    for (let d = 0; d < 1_000_000; d++) deep = { a: deep };
    const started = performance.now();
    for (let i = 0; i < 1000; i++) checkInputLimits(deep);
    expect(performance.now() - started).toBeLessThan(500);
    expect(checkInputLimits(deep)?.path).toHaveLength(32);
  });

  it('maxKeys: 10,000 keys pass, 10,001 are too_big at the object', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(checkInputLimits(holding(keys(10_000)))).toBeUndefined();
    expect(checkInputLimits(holding(keys(10_001)))).toMatchObject({
      code: 'too_big',
      path: ['data', 'x'],
      message: expect.stringContaining('maxKeys'),
      value: 10_001,
    });
  });

  it('maxArrayLength: 100,000 elements pass, 100,001 are too_big at the array', () => {
    expect(checkInputLimits(holding(new Array(100_000).fill(0)))).toBeUndefined();
    expect(checkInputLimits(holding(new Array(100_001).fill(0)))).toMatchObject({
      code: 'too_big',
      path: ['data', 'x'],
      message: expect.stringContaining('maxArrayLength'),
      value: 100_001,
    });
  });

  it('a shared (acyclic) value is counted each time it appears, so sharing cannot hide size', () => {
    let v: unknown = 'x'.repeat(1000);
    for (let i = 0; i < 30; i++) v = [v, v]; // 2^30 copies if written out
    expect(checkInputLimits(v)).toMatchObject({ code: 'too_big', path: [] });
    const small = { a: 'x' };
    expect(checkInputLimits({ p: small, q: small })).toBeUndefined();
  });
});

describe('checkInputLimits: what is not JSON', () => {
  it('a cycle is invalid_value at the back reference, naming the ancestor it points to', () => {
    const data: { a: number; inner?: unknown } = { a: 1 };
    data.inner = { list: [0, data] };
    expect(checkInputLimits({ id: 'c', data })).toMatchObject({
      code: 'invalid_value',
      path: ['data', 'inner', 'list', 1],
      value: ['data'],
    });
    const self: unknown[] = [];
    self.push(self);
    expect(checkInputLimits(self)).toMatchObject({ code: 'invalid_value', path: [0], value: [] });
  });

  it('a cycle below a deep chain is still found (the ancestor set past depth 64)', () => {
    const root: { next?: unknown } = {};
    let tip = root;
    for (let d = 0; d < 100; d++) {
      const next = {};
      tip.next = next;
      tip = next;
    }
    tip.next = root;
    expect(checkInputLimits(root, limits({ maxDepth: 1000 }))).toMatchObject({
      code: 'invalid_value',
      value: [],
    });
    expect(checkInputLimits(root, limits({ maxDepth: 1000 }))?.path).toHaveLength(101);
  });

  class Point {
    x = 1;
  }
  it.each([
    ['a Map', new Map([['a', 1]])],
    ['a Set', new Set([1])],
    ['a Date', new Date(0)],
    ['a RegExp', /a/],
    ['binary data', new Uint8Array(2)],
    ['an object of a class', new Point()],
    ['an object of a class', Object.create({ inherited: 1 })],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['a bigint', 10n],
    ['an object of a class', new String('boxed')],
  ] as const)('%s is invalid_type at its path', (name, value) => {
    expect(checkInputLimits(holding([1, value]))).toMatchObject({
      code: 'invalid_type',
      path: ['data', 'x', 1],
      message: expect.stringContaining(name),
    });
  });

  it('null-prototype objects are plain data and undefined is null, but a symbol key is refused', () => {
    const bare = Object.assign(Object.create(null), { a: 1 });
    expect(checkInputLimits(holding({ bare, u: undefined }))).toBeUndefined();
    expect(checkInputLimits(holding({ bare, [Symbol('s')]: 1 }))).toMatchObject({
      code: 'invalid_type',
      path: ['data', 'x', 'Symbol(s)'],
      message: 'a symbol-keyed property is not JSON',
    });
  });

  it('getters and proxies are refused without being run', () => {
    let ran = 0;
    const getter = Object.defineProperty({}, 'g', {
      enumerable: true,
      get: () => {
        ran += 1;
        return 1;
      },
    });
    expect(checkInputLimits(holding(getter))).toMatchObject({
      code: 'invalid_type',
      path: ['data', 'x', 'g'],
    });
    const trapped = new Proxy(
      {},
      new Proxy(
        {},
        {
          get: () => () => {
            ran += 1;
            throw new Error('trap');
          },
        },
      ),
    );
    expect(checkInputLimits(holding(trapped))).toMatchObject({ code: 'invalid_type', path: ['data', 'x'] });
    const { proxy, revoke } = Proxy.revocable([], {});
    revoke();
    expect(checkInputLimits(holding(proxy))).toMatchObject({ code: 'invalid_type', path: ['data', 'x'] });
    expect(checkInputLimits(trapped)).toMatchObject({ code: 'invalid_type', path: [] });
    expect(ran).toBe(0);
  });

  it('an event with a getter for its id is reported without reading the id', () => {
    let ran = 0;
    const event = Object.defineProperty({ source: '/s', type: 't' }, 'id', {
      enumerable: true,
      get: () => {
        ran += 1;
        return 'x';
      },
    });
    const { engine, issues } = engineWithIssues();
    expect(() => engine.ingest(event)).not.toThrow();
    expect(issues).toEqual([
      { code: 'invalid_type', path: ['id'], message: expect.any(String), value: undefined, source: '/s' },
    ]);
    expect(ran).toBe(0);
  });
});

describe('parseEvent runs the limits before zod', () => {
  it('a huge id is too_big with its length, not echoed back, and the event is not tagged with it', () => {
    const result = parseEvent({ id: 'i'.repeat(70_000), source: '/s', type: 't' }, () => 0);
    expect(result).toEqual({
      ok: false,
      issues: [{ code: 'too_big', path: ['id'], message: expect.any(String), value: 70_000, source: '/s' }],
    });
  });

  it('limits can be given: a smaller depth refuses what the default accepts', () => {
    const event = holding({ a: { b: 1 } });
    expect(parseEvent(event, () => 0).ok).toBe(true);
    expect(parseEvent(event, () => 0, limits({ maxDepth: 3 }))).toMatchObject({
      ok: false,
      issues: [{ code: 'too_big', path: ['data', 'x', 'a'] }],
    });
  });

  it('inputLimitsSchema fills defaults and refuses a limit that is not a positive integer', () => {
    expect(inputLimitsSchema.parse({ maxDepth: 8 })).toEqual({ ...DEFAULT_INPUT_LIMITS, maxDepth: 8 });
    expect(inputLimitsSchema.parse({ maxKeys: Number.POSITIVE_INFINITY }).maxKeys).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(inputLimitsSchema.safeParse({ maxDepth: 0 }).success).toBe(false);
    expect(inputLimitsSchema.safeParse({ maxDepth: 1.5 }).success).toBe(false);
    expect(inputLimitsSchema.safeParse({ maxdepth: 8 }).success).toBe(false);
  });
});

describe('__proto__, constructor and prototype keys stay data', () => {
  const hostile = [
    '{"id":"1","source":"/s","type":"run.metrics","__proto__":{"polluted":1},"data":{"entity":"acme","project":"v","runId":"r","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"metrics":{"__proto__":5,"constructor":1,"prototype":2}}}',
    '{"id":"2","source":"/s","type":"artifact.created","data":{"entity":"acme","project":"v","collection":"c","version":0,"tags":["__proto__"],"metadata":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1}}}}',
    '{"id":"3","source":"/s","type":"artifact.tag.added","data":{"entity":"acme","project":"v","collection":"c","version":0,"tag":"constructor","__proto__":{"polluted":1}}}',
    '{"id":"4","source":"/s","type":"azure.thing","data":{"__proto__":{"polluted":1},"a":[{"__proto__":{"polluted":1}}],"constructor":{"prototype":{"polluted":1}}}}',
    '{"__proto__":{"polluted":1}}',
    '{"id":"5","source":"/s","type":"run.metrics","data":{"__proto__":{"entity":"acme","project":"v","runId":"r","metrics":{"m":1}}}}',
  ];

  const metadataOf = (firing: Firing | undefined): object =>
    (firing?.event.data as { metadata?: object } | undefined)?.metadata ?? {};

  function ingestAll() {
    const { engine, issues } = engineWithIssues();
    const save = (trigger: Parameters<typeof engine.save>[0], name: string) =>
      engine.save(trigger, { name, cooldownMs: 0 });
    save(OnRunMetric({ scope: 'acme', filter: RunEvent.metric('__proto__').gt(0) }).do(DoNothing()), 'proto');
    save(
      OnRunMetric({ scope: 'acme', filter: RunEvent.metric('prototype').gt(0) }).do(DoNothing()),
      'prototype',
    );
    save(OnCreateArtifact({ scope: 'acme' }).do(DoNothing()), 'created');
    save(OnAddArtifactTag({ scope: 'acme', tag: '^constructor$' }).do(DoNothing()), 'tag');
    save(
      OnEvent({
        includedEventTypes: ['azure.thing'],
        advancedFilters: [{ operatorType: 'NumberIn', key: 'data.__proto__.polluted', values: [1] }],
      }).do(DoNothing()),
      'event',
    );
    const fired = hostile.flatMap((text) => engine.ingest(JSON.parse(text)));
    return { engine, issues, fired };
  }

  it('never reach Object.prototype, and the engine reads them as plain names', () => {
    const { engine, issues, fired } = ingestAll();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(Object.prototype.constructor).toBe(Object);
    expect(fired.map((f) => f.automationName)).toEqual(['proto', 'prototype', 'created', 'tag', 'event']);
    expect(fired[0]?.evidence).toMatchObject({ metric: '__proto__', value: 5 });
    // The last two have no id or no data fields of their own: refused, each with an issue.
    expect(engine.stats()).toMatchObject({ accepted: 4, rejected: 2 });
    expect(issues.length).toBeGreaterThanOrEqual(2);
    const foreign = fired[4]?.event.data as Record<string, unknown>;
    expect(Object.hasOwn(foreign, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(foreign)).toBe(Object.prototype);
    const metadata = metadataOf(fired[2]);
    expect(Object.hasOwn(metadata, 'constructor')).toBe(true);
    expect(Object.hasOwn(metadata, 'prototype')).toBe(true);
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
  });

  // zod's z.record drops a `__proto__` key; the metadata schema copies own keys instead, so it stays data.
  it('artifact metadata keeps a __proto__ key as an own key, in the event and in the firing', () => {
    const { fired } = ingestAll();
    const metadata = metadataOf(fired[2]);
    expect(Object.hasOwn(metadata, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(JSON.stringify(metadata)).toBe(
      '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1}}',
    );
    expect(Object.hasOwn(fired[2]?.artifact?.metadata ?? {}, '__proto__')).toBe(true);
  });
});
