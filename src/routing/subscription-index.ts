import type { Automation } from '../schema/automation.js';
import type { CloudEvent } from '../schema/cloud-event.js';
import { KeyedLists } from './keyed-lists.js';

/** An enabled `OnEvent` subscription, compiled: its event types (upper case) or every type. */
export interface SubscriptionWatcher {
  automation: Automation;
  /** Empty when it takes every type. */
  readonly types: readonly string[];
  readonly matches: (event: CloudEvent) => boolean;
}

const ALL = '\u0000all';

/**
 * Event Grid-style subscriptions by event type (case-insensitive), so an event meets only the subscriptions
 * that include its type, plus those that take all types.
 */
export class SubscriptionIndex {
  readonly #lists = new KeyedLists<SubscriptionWatcher>();

  add(watcher: SubscriptionWatcher): void {
    for (const key of keysOf(watcher)) this.#lists.add(key, watcher);
  }

  remove(watcher: SubscriptionWatcher): void {
    for (const key of keysOf(watcher)) this.#lists.remove(key, watcher);
  }

  /** No subscription at all: most engines, so a caller need not even look at the event. */
  get empty(): boolean {
    return this.#lists.size === 0;
  }

  /** The subscriptions an event of this type can match, oldest first. */
  candidates(type: string): readonly SubscriptionWatcher[] {
    return this.#lists.merged([ALL, type.toUpperCase()]);
  }
}

function keysOf(watcher: SubscriptionWatcher): readonly string[] {
  return watcher.types.length === 0 ? [ALL] : watcher.types;
}
