import type { Automation } from '../schema/automation.js';

/** Firings of one event come out oldest automation first, whatever order they were enabled in. */
export function byAge(x: { automation: Automation }, y: { automation: Automation }): number {
  const a = x.automation;
  const b = y.automation;
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Insert keeping age order; lists are short and change rarely, events are many. */
export function insertByAge<T extends { automation: Automation }>(list: readonly T[], item: T): T[] {
  return [...list, item].sort(byAge);
}
