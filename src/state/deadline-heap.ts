/** An entry of a DeadlineHeap: its deadline, and where it sits (−1 when out of the heap), kept by the heap. */
export interface Deadline {
  deadline: number;
  heapIndex: number;
}

/**
 * An indexed binary min-heap by deadline: the earliest in O(1); push, pop, remove and moving an entry's
 * deadline in O(log n), since every entry knows its place. Ties come out in any order: callers sort what is due.
 */
export class DeadlineHeap<T extends Deadline> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  /** Put an entry in at `deadline`, or move it there if it is in already. */
  set(item: T, deadline: number): void {
    if (item.heapIndex < 0) {
      item.deadline = deadline;
      item.heapIndex = this.#items.length;
      this.#items.push(item);
      this.#up(item.heapIndex);
      return;
    }
    const earlier = deadline < item.deadline;
    item.deadline = deadline;
    if (earlier) this.#up(item.heapIndex);
    else this.#down(item.heapIndex);
  }

  pop(): T | undefined {
    const top = this.#items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  remove(item: T): void {
    const i = item.heapIndex;
    if (i < 0) return;
    const items = this.#items;
    const last = items.pop() as T;
    item.heapIndex = -1;
    if (last === item) return;
    items[i] = last;
    last.heapIndex = i;
    this.#up(i);
    this.#down(last.heapIndex);
  }

  /** Remove every entry `drop` picks, in O(n): for rare changes (an automation removed). */
  removeWhere(drop: (item: T) => boolean): void {
    for (const item of this.#items.filter(drop)) this.remove(item);
  }

  #up(from: number): void {
    const items = this.#items;
    let i = from;
    const item = items[i] as T;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (p.deadline <= item.deadline) break;
      items[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    items[i] = item;
    item.heapIndex = i;
  }

  #down(from: number): void {
    const items = this.#items;
    const n = items.length;
    let i = from;
    const item = items[i] as T;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (items[r] as T).deadline < (items[l] as T).deadline ? r : l;
      const child = items[c] as T;
      if (child.deadline >= item.deadline) break;
      items[i] = child;
      child.heapIndex = i;
      i = c;
    }
    items[i] = item;
    item.heapIndex = i;
  }
}
