import { isInstance } from './is-instance.js';

// What a value is as JSON, read without running any of its code: for the data walk.

/** primitiveSize's answers for values that are not primitives. */
export const CONTAINER = -1;
export const NOT_JSON = -2;

const { getOwnPropertyNames, getOwnPropertySymbols, keys: keysOf } = Object;

/** Every own key: the enumerable string keys (cheap, cached by the engine) unless there are others too. */
export function objectKeys(node: object): PropertyKey[] {
  const keys: PropertyKey[] = keysOf(node);
  if (getOwnPropertyNames(node).length === keys.length && getOwnPropertySymbols(node).length === 0)
    return keys;
  return Reflect.ownKeys(node);
}

/** Undefined for a dense array of indices only; otherwise every index (holes included) and every other own key. */
export function arrayKeys(array: unknown[]): PropertyKey[] | undefined {
  const own = Reflect.ownKeys(array);
  if (own.length === array.length + 1 && own[own.length - 1] === 'length') return undefined;
  const keys: PropertyKey[] = Array.from({ length: array.length }, (_, i) => i);
  for (const key of own) if (typeof key !== 'string' || (key !== 'length' && !isIndex(key))) keys.push(key);
  return keys;
}

const isIndex = (key: string): boolean => /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;

/** JSON length of a primitive (strings at any length), or CONTAINER for an object, NOT_JSON for the rest. */
export function primitiveSize(value: unknown): number {
  switch (typeof value) {
    case 'number':
      return numberSize(value);
    case 'string':
      return value.length + 2;
    case 'boolean':
      return value ? 4 : 5;
    case 'undefined':
      // Not JSON, but harmless: JavaScript callers leave optional fields undefined; counted as `null`.
      return 4;
    case 'object':
      return value === null ? 4 : CONTAINER;
    default:
      // bigint, symbol, function: no JSON form.
      return NOT_JSON;
  }
}

/** 'object' for a plain object (prototype Object.prototype or null), 'array' for an array, else undefined. */
export function plainKind(value: object): 'object' | 'array' | undefined {
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) return proto === Array.prototype ? 'array' : undefined;
  return proto === Object.prototype || proto === null ? 'object' : undefined;
}

/** A name for an exotic object, read without running user code (no constructor or Symbol.toStringTag lookups). */
export function kindOf(value: object): string {
  if (isInstance(value, Map)) return 'a Map';
  if (isInstance(value, Set)) return 'a Set';
  if (isInstance(value, Date)) return 'a Date';
  if (isInstance(value, RegExp)) return 'a RegExp';
  if (ArrayBuffer.isView(value) || isInstance(value, ArrayBuffer)) return 'binary data';
  if (isInstance(value, Promise)) return 'a Promise';
  if (isInstance(value, Error)) return 'an Error';
  return 'an object of a class';
}

/** JSON length of a number: exact for integers up to 1e15, 24 (the longest a double prints as) for others. */
function numberSize(x: number): number {
  if (!Number.isFinite(x)) return 4; // JSON.stringify writes null
  if (!Number.isInteger(x) || x >= 1e15 || x <= -1e15) return 24;
  let n = x < 0 ? 2 : 1;
  for (let a = Math.abs(x); a >= 10; a = Math.floor(a / 10)) n += 1;
  return n;
}
