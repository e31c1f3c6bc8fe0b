import { types } from 'node:util';

/**
 * `value instanceof type`, but the prototype chain is walked by hand: `instanceof` would run the
 * getPrototypeOf trap of a proxy further up the chain (`Object.create(proxy)`).
 */
export function isInstance(value: unknown, type: { readonly prototype: object }): boolean {
  let o: unknown = value;
  for (let depth = 0; depth < 64; depth++) {
    if (typeof o !== 'object' || o === null || types.isProxy(o)) return false;
    o = Object.getPrototypeOf(o);
    if (o === type.prototype) return true;
  }
  return false;
}
