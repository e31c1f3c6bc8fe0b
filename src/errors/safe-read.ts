import { types } from 'node:util';

// Reading what a caller passed to an error's constructor or guard without running any of its code.

/** Text for a message: a string as it is, another primitive by String(), an object as a fixed word. */
export function textOf(value: unknown, object = 'an object'): string {
  if (typeof value === 'string') return value;
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return String(value);
  return object;
}

/** An own data property of an object that is no proxy, read through its descriptor; else undefined. */
export function ownData(o: unknown, key: PropertyKey): unknown {
  if (typeof o !== 'object' || o === null || types.isProxy(o)) return undefined;
  const own = Object.getOwnPropertyDescriptor(o, key);
  return own !== undefined && 'value' in own ? own.value : undefined;
}

/** Whether `o` has an own property `key` (a proxy never does here: asking would run its trap). */
export function hasOwnData(o: unknown, key: PropertyKey): boolean {
  return typeof o === 'object' && o !== null && !types.isProxy(o) && Object.hasOwn(o, key);
}

/**
 * An error of the class whose prototype is `proto`, or one named `name` (from another copy of the package):
 * the prototype chain is walked by hand and `name` read as an own data property, so no trap or getter runs.
 */
export function isErrorNamed(value: unknown, proto: object, name: string): boolean {
  let o: unknown = value;
  let isError = false;
  for (let depth = 0; depth < 64; depth++) {
    if (typeof o !== 'object' || o === null || types.isProxy(o)) break;
    o = Object.getPrototypeOf(o);
    if (o === proto) return true;
    if (o === Error.prototype) isError = true;
  }
  return isError && ownData(value, 'name') === name;
}
