import type { Automation } from '../schema/automation.js';

/**
 * Each saved automation's place in the order of saving, given by its registry. Kept beside the frozen object
 * (an update's new object takes its predecessor's), so every index can sort by it without asking the registry.
 */
const SEQUENCE = new WeakMap<Automation, number>();

export function setSequence(automation: Automation, sequence: number): void {
  SEQUENCE.set(automation, sequence);
}

export function sequenceOf(automation: Automation): number | undefined {
  return SEQUENCE.get(automation);
}

/**
 * Firings of one event come out oldest automation first, whatever order they were enabled in: by `createdAt`,
 * then by the order of saving (a number, so `saved-2` comes before `saved-10`), then by id for total order.
 */
export function byAge(x: { automation: Automation }, y: { automation: Automation }): number {
  const a = x.automation;
  const b = y.automation;
  const bySequence = (SEQUENCE.get(a) ?? 0) - (SEQUENCE.get(b) ?? 0);
  return a.createdAt - b.createdAt || bySequence || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Insert keeping age order; lists are short and change rarely, events are many. */
export function insertByAge<T extends { automation: Automation }>(list: readonly T[], item: T): T[] {
  return [...list, item].sort(byAge);
}
