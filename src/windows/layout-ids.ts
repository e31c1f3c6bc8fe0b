/**
 * Numbers for the layouts series blocks follow, so a block can name its layout among its numbers. Counted: a
 * layout is forgotten (and its number reused) when no block follows it any more, so replaced definitions do
 * not stay reachable through it.
 */
export class LayoutIds<L extends object> {
  readonly #ids = new Map<L, number>();
  /** Layouts by number: read once per value, so an array. */
  readonly layouts: (L | undefined)[] = [];
  readonly #users: number[] = [];
  readonly #free: number[] = [];

  /** The number of `layout`, counted as used once more. */
  acquire(layout: L): number {
    let id = this.#ids.get(layout);
    if (id === undefined) {
      id = this.#free.pop() ?? this.layouts.length;
      this.#ids.set(layout, id);
      this.layouts[id] = layout;
      this.#users[id] = 0;
    }
    this.#users[id] = (this.#users[id] as number) + 1;
    return id;
  }

  /** One user of layout `id` fewer. */
  release(id: number): void {
    const users = (this.#users[id] as number) - 1;
    this.#users[id] = users;
    if (users > 0) return;
    this.#ids.delete(this.layouts[id] as L);
    this.layouts[id] = undefined;
    this.#free.push(id);
  }

  /** Layouts in use, for tests. */
  get size(): number {
    return this.#ids.size;
  }
}
