type Lookup = (this: unknown, key: PropertyKey) => unknown;

/**
 * Annex B's `__lookupGetter__` and `__lookupSetter__`, taken once (so a later change to Object.prototype does
 * not reach them): they tell an accessor without allocating the descriptor that
 * `Object.getOwnPropertyDescriptor` makes, which on the hot path was a quarter of intake.
 */
const lookupGetter = Object.getOwnPropertyDescriptor(Object.prototype, '__lookupGetter__')?.value as Lookup;
const lookupSetter = Object.getOwnPropertyDescriptor(Object.prototype, '__lookupSetter__')?.value as Lookup;

/** True when `o` or its chain has a getter for `key` (a setter alone reads as undefined and runs nothing). */
export function hasGetter(o: object, key: PropertyKey): boolean {
  return lookupGetter.call(o, key) !== undefined;
}

/**
 * True when reading `o[key]` would run no code: no getter on `o` or its chain, and (when the value read would
 * be undefined) no setter either, which the walk of an event refuses too. `o` must not be a proxy.
 */
export function readsAsData(o: object, key: PropertyKey): boolean {
  if (hasGetter(o, key)) return false;
  return (o as Record<PropertyKey, unknown>)[key] !== undefined || lookupSetter.call(o, key) === undefined;
}
