import { types } from 'node:util';

/**
 * The function a method call `target[key](…)` would run, found through property descriptors along the prototype
 * chain, so that no getter or proxy trap runs to find it; undefined when it is not a plain function-valued data
 * property (a getter, a proxy anywhere on the chain, no such key, not a function).
 */
export function methodOf(target: unknown, key: PropertyKey): ((...args: unknown[]) => unknown) | undefined {
  if (target === null || target === undefined) return undefined;
  let o: unknown = typeof target === 'object' || typeof target === 'function' ? target : Object(target);
  // The chain of an ordinary object is short; a bound keeps a hostile one from costing more.
  for (let depth = 0; depth < 64 && o !== null; depth++) {
    if (types.isProxy(o)) return undefined;
    const own = Object.getOwnPropertyDescriptor(o, key);
    if (own !== undefined) {
      const value: unknown = 'value' in own ? own.value : undefined;
      // A proxy as the method would run its `apply` trap: not a method we call.
      return typeof value === 'function' && !types.isProxy(value)
        ? (value as (...args: unknown[]) => unknown)
        : undefined;
    }
    o = Object.getPrototypeOf(o);
  }
  return undefined;
}
