import type { Firing } from './firing.js';

/**
 * What the events of a grouped batch report, hold back and fire while it is applied: kept with each event's
 * number, and handed on in event order once the batch is applied, so listeners see what one event at a time
 * would have shown them, in the same order. Closed, it hands everything on at once: that is every other path.
 */
export class Deferral {
  /** The number, in its batch, of the event being applied: what is deferred now belongs to it. */
  row = 0;
  #open = false;
  #rows: number[] = [];
  #items: (() => void)[] = [];
  #firings: (readonly Firing[] | undefined)[] = [];

  get open(): boolean {
    return this.#open;
  }

  /** Run `call` now, or with the current event's turn when the batch is handed on. */
  defer(call: () => void): void {
    if (!this.#open) call();
    else this.#push(call, undefined);
  }

  /** The current event's firings, emitted in its turn (after what it reported). */
  fired(firings: readonly Firing[]): void {
    this.#push(undefined, firings);
  }

  /** Start deferring: a batch is about to be applied. */
  begin(): void {
    this.#open = true;
  }

  /**
   * Stop deferring and hand on what was kept, by event number (each event's own in the order it came), each
   * event's firings to `emit`; `enter(row)` is told before each of event `row`'s entries (an outcome gathers
   * them). Listeners that ingest again meet a closed deferral: nothing of theirs waits.
   */
  end(emit: (firings: readonly Firing[]) => void, enter?: (row: number) => void): void {
    this.#open = false;
    const rows = this.#rows;
    const items = this.#items;
    const firings = this.#firings;
    this.#rows = [];
    this.#items = [];
    this.#firings = [];
    const order = Array.from(rows.keys());
    // Stable: one event's entries keep the order they came in.
    order.sort((a, b) => (rows[a] as number) - (rows[b] as number));
    for (const k of order) {
      enter?.(rows[k] as number);
      const f = firings[k];
      if (f === undefined) (items[k] as () => void)();
      else emit(f);
    }
  }

  #push(call: (() => void) | undefined, firings: readonly Firing[] | undefined): void {
    this.#rows.push(this.row);
    this.#items.push(call ?? noop);
    this.#firings.push(firings);
  }
}

const noop = (): void => {};
