import fc from 'fast-check';

/**
 * Hostile arguments for the public API. Code of the caller's that the package must never run on its own —
 * getters, proxy traps, `toString`/`valueOf`/`toJSON`/`then` hooks — records itself in `ran` and throws
 * `HookRan`; a callback the caller hands over to be called (a listener, `check`, a clock's `now`) throws
 * `CallbackError`, which may come back out, as the caller's own error.
 */
export const ran: string[] = [];

export class HookRan extends Error {
  override readonly name = 'HookRan';
}
export class CallbackError extends Error {
  override readonly name = 'CallbackError';
}

const hook = (what: string) => (): never => {
  ran.push(what);
  throw new HookRan(`${what} ran`);
};

export const callback = (): never => {
  throw new CallbackError('a callback of the caller threw');
};

const TRAPS = [
  'get',
  'set',
  'has',
  'ownKeys',
  'getOwnPropertyDescriptor',
  'getPrototypeOf',
  'defineProperty',
  'deleteProperty',
  'apply',
  'construct',
  'isExtensible',
  'preventExtensions',
  'setPrototypeOf',
] as const;
const trapping = (): ProxyHandler<object> =>
  Object.fromEntries(TRAPS.map((t) => [t, hook(`proxy ${t}`)])) as ProxyHandler<object>;

function nest(depth: number, array: boolean): unknown {
  let v: unknown = 0;
  for (let d = 0; d < depth; d++) v = array ? [v] : { a: v };
  return v;
}

const getter = (key: PropertyKey, enumerable: boolean, base: object = {}) =>
  Object.defineProperty(base, key, { get: hook(`getter ${String(key)}`), enumerable, configurable: true });

/** Built fresh for each use, so that no call can spoil the next (a frozen or mutated value, say). */
export const HOSTILE: readonly (() => unknown)[] = [
  () => getter('id', true),
  () => getter('type', false, { id: 'x', source: '/s' }),
  () => getter(Symbol('s'), true, { name: 'x' }),
  () => getter('mode', false),
  () => getter('scope', true),
  () => getter(0, true, [1, 2]),
  () => getter('length', false, {}),
  () => getter(Symbol.iterator, false),
  () => getter('subscribe', false),
  () => new Proxy({}, trapping()),
  () => new Proxy([], trapping()),
  () => new Proxy(() => 0, trapping()),
  () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  () => {
    const { proxy, revoke } = Proxy.revocable([], {});
    revoke();
    return proxy;
  },
  () => ({
    toString: hook('toString'),
    valueOf: hook('valueOf'),
    toJSON: hook('toJSON'),
    [Symbol.toPrimitive]: hook('toPrimitive'),
    // biome-ignore lint/suspicious/noThenProperty: a thenable the package must never await is the point
    then: hook('then'),
  }),
  () => nest(2_000, false),
  () => nest(2_000, true),
  () => nest(40, false),
  () => {
    const o: Record<string, unknown> = { a: 1 };
    o['self'] = o;
    return o;
  },
  () => {
    const a: unknown[] = [1];
    a.push([a]);
    return a;
  },
  () => new Promise(() => undefined),
  () => Promise.resolve(1),
  () => 'x'.repeat(1_000_000),
  () => new Array(200_000).fill('v1,AAAA'),
  () =>
    new Map<unknown, unknown>([
      [1, 'x'],
      [Symbol('k'), {}],
    ]),
  () => new Map([['content-type', 'application/json']]),
  () => new Set([1]),
  () => 10n,
  () => Symbol('s'),
  () => callback,
  () => Object.freeze({ a: Object.freeze([1]) }),
  () => Object.create(null),
  () => new Date(Number.NaN),
  () => /a/g,
  () => new Uint8Array([123, 125]),
  () => new Headers({ 'content-type': 'application/json' }),
  () => new Error('e'),
  () => JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}'),
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => -0,
  () => Number.MAX_SAFE_INTEGER + 2,
  () => '',
  () => '\uD800',
  () =>
    new (class Thing {
      get id(): string {
        return hook('class getter')();
      }
    })(),
];

export type Hostile = { readonly hostile: number };
export const hostile: fc.Arbitrary<Hostile> = fc.nat(HOSTILE.length - 1).map((i) => ({ hostile: i }));
export const isHostile = (x: unknown): x is Hostile =>
  typeof x === 'object' && x !== null && Object.keys(x).length === 1 && Object.hasOwn(x, 'hostile');

export const anything = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  stringUnit: 'binary',
});

/** Put `value` at the place `pick` chooses inside a (fresh) plain value: at the top, or under some key. */
export function inject(target: unknown, value: unknown, pick: number): unknown {
  if (typeof target !== 'object' || target === null) return value;
  const places: { parent: Record<string | number, unknown>; key: string | number }[] = [];
  const walk = (o: unknown, depth: number): void => {
    if (typeof o !== 'object' || o === null || depth > 6 || Object.isFrozen(o)) return;
    for (const key of Object.keys(o)) {
      places.push({ parent: o as Record<string, unknown>, key });
      walk((o as Record<string, unknown>)[key], depth + 1);
    }
  };
  walk(target, 0);
  if (places.length === 0 || pick % (places.length + 1) === places.length) return value;
  const { parent, key } = places[pick % (places.length + 1)] as (typeof places)[number];
  parent[key] = value;
  return target;
}
