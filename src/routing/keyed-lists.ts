import type { Automation } from '../schema/automation.js';
import { byAge, insertByAge } from './age-order.js';

type Aged = { readonly automation: Automation };
const EMPTY: readonly never[] = Object.freeze([]);

/**
 * Watchers filed by key, each list oldest automation first: what every trigger index is made of. Lists are
 * replaced, never changed in place, so one handed out stays as it was while an event is handled.
 */
export class KeyedLists<T extends Aged> {
  readonly #lists = new Map<string, readonly T[]>();

  get size(): number {
    return this.#lists.size;
  }

  get(key: string): readonly T[] {
    return this.#lists.get(key) ?? EMPTY;
  }

  add(key: string, item: T): void {
    this.#lists.set(key, insertByAge(this.get(key), item));
  }

  /** True if the item was there. */
  remove(key: string, item: T): boolean {
    const list = this.#lists.get(key);
    if (list === undefined) return false;
    const kept = list.filter((x) => x !== item);
    if (kept.length === list.length) return false;
    if (kept.length > 0) this.#lists.set(key, kept);
    else this.#lists.delete(key);
    return true;
  }

  /** The lists under `keys`, merged oldest first: one list is handed out as it is. */
  merged(keys: readonly string[]): readonly T[] {
    let only: readonly T[] | undefined;
    let all: T[] | undefined;
    for (const key of keys) {
      const list = this.#lists.get(key);
      if (list === undefined) continue;
      if (only === undefined) only = list;
      else {
        all ??= [...only];
        all.push(...list);
      }
    }
    return all === undefined ? (only ?? EMPTY) : all.sort(byAge);
  }
}
