/** What the heap orders by: due time, then arrival, so equal due times keep first-in first-out. */
export interface Due {
  readonly due: number;
  readonly seq: number;
}

const before = (a: Due, b: Due): boolean => a.due < b.due || (a.due === b.due && a.seq < b.seq);

/**
 * A binary min-heap of waiting deliveries: the earliest due in O(1), push and pop in O(log n). An item's
 * `due` must not change while it is in the heap (the scheduler pops, changes, pushes back).
 */
export class DueHeap<T extends Due> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    const items = this.#items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (!before(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    const n = items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && before(items[r] as T, items[l] as T) ? r : l;
      if (!before(items[child] as T, last)) break;
      items[i] = items[child] as T;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
