import { types } from 'node:util';
import { type Observer, Subscription } from 'rxjs';
import { unreadable } from '../core/partitions.js';
import { readsAsData } from '../definitions/accessors.js';
import { isInstance } from '../definitions/is-instance.js';
import { methodOf } from '../definitions/method-of.js';
import { DefinitionError } from '../errors/definition-error.js';
import { type Issue, issue } from '../errors/issue.js';

// The engine's intake from the caller's containers (a batch, an observable), read without running their code.

/** An array of Array.prototype that is no Proxy: read by index, its length as it is now. */
export function isPlainArray(events: unknown): events is readonly unknown[] {
  return !types.isProxy(events) && Array.isArray(events) && Object.getPrototypeOf(events) === Array.prototype;
}

/**
 * Hand `events[from..to)` to `each`, in order; an element that is an accessor goes to `refuse` unread. The end is
 * read again after each element (up to `to`), so one a listener appends is still reached.
 */
export function eachElement(
  events: readonly unknown[],
  from: number,
  to: number,
  each: (event: unknown) => void,
  refuse: (refused: Issue) => void,
): void {
  for (let i = from; i < Math.min(to, events.length); i++) {
    if (readsAsData(events, i)) each(events[i]);
    else refuse(unreadable());
  }
}

/**
 * Hand each event of a batch to `each`, in order. An array is read by index, an element that is an accessor
 * goes to `refuse` unread (a hole is undefined, an event like any other); another iterable is iterated, and
 * if it throws, what it gave before stays handed and the error goes to `failed`. Not iterable: DefinitionError.
 */
export function forEachEvent(
  events: unknown,
  each: (event: unknown) => void,
  refuse: (refused: Issue) => void,
  failed: (error: unknown) => void,
): void {
  if (isPlainArray(events)) {
    eachElement(events, 0, Number.POSITIVE_INFINITY, each, refuse);
    return;
  }
  const iterate = typeof events === 'string' ? undefined : methodOf(events, Symbol.iterator);
  if (iterate === undefined && typeof events !== 'string') {
    const shown = types.isProxy(events) ? undefined : events;
    const refused = issue('invalid_type', [], 'ingestBatch takes an array or iterable of events', shown);
    throw new DefinitionError([refused], 'batch');
  }
  const iterable: Iterable<unknown> =
    iterate === undefined
      ? (events as string)
      : { [Symbol.iterator]: () => iterate.call(events) as Iterator<unknown> };
  try {
    for (const event of iterable) each(event);
  } catch (error) {
    failed(error);
  }
}

/**
 * Subscribe `observer` to `events` through a `subscribe` method found without running a getter. A subscribe
 * that throws goes to `failed`; what it returns is kept if it is a Subscription, else wrapped in one that calls
 * its `unsubscribe` (if any). No subscribe method: DefinitionError.
 */
export function subscribeTo(
  events: unknown,
  observer: Observer<unknown>,
  failed: (error: unknown) => void,
): Subscription {
  const subscribe = methodOf(events, 'subscribe');
  if (subscribe === undefined) {
    const shown = types.isProxy(events) ? undefined : events;
    const refused = issue('invalid_type', [], 'connect takes an Observable of events', shown);
    throw new DefinitionError([refused], 'source');
  }
  let returned: unknown;
  try {
    returned = subscribe.call(events, observer);
  } catch (error) {
    failed(error);
  }
  if (isInstance(returned, Subscription)) return returned as Subscription;
  return new Subscription(() => {
    const unsubscribe = methodOf(returned, 'unsubscribe');
    try {
      unsubscribe?.call(returned);
    } catch (error) {
      failed(error);
    }
  });
}
