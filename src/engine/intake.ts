import { types } from 'node:util';
import { Subscription } from 'rxjs';
import { methodOf } from '../definitions/method-of.js';

// Helpers for the engine's intake methods: reading the caller's containers without running their code.

/** An array of the usual kind (no proxy, no subclass): read by index through descriptors. */
export function isPlainArray(value: unknown): value is readonly unknown[] {
  return !types.isProxy(value) && Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;
}

/** The iterable whose iterator is `iterate` called on `target` (found by methodOf, so no getter ran for it). */
export function iterableOf(iterate: (...args: unknown[]) => unknown, target: unknown): Iterable<unknown> {
  return { [Symbol.iterator]: () => iterate.call(target) as Iterator<unknown> };
}

/** An RxJS Subscription (what an Observable's subscribe returns), told without running a proxy's trap. */
export function isSubscription(value: unknown): value is Subscription {
  return !types.isProxy(value) && value instanceof Subscription;
}

/** A Subscription that ends what a non-RxJS `subscribe` returned, if it has an `unsubscribe` method. */
export function ownSubscription(returned: unknown, failed: (error: unknown) => void): Subscription {
  return new Subscription(() => {
    const unsubscribe = methodOf(returned, 'unsubscribe');
    try {
      unsubscribe?.call(returned);
    } catch (error) {
      failed(error);
    }
  });
}

/** The value an issue names: never a proxy, which would run code for whoever prints the issue. */
export function describe(value: unknown): unknown {
  return types.isProxy(value) ? undefined : value;
}
