/** Generated ids, `aut_1`, `aut_2`, …, from the counter on, never one `taken`; `counter` is where it stopped. */
export class GeneratedIds {
  #n: number;
  readonly #taken: (id: string) => boolean;

  constructor(from: number, taken: (id: string) => boolean) {
    this.#n = from;
    this.#taken = taken;
  }

  next(): string {
    let id: string;
    do id = `aut_${this.#n++}`;
    while (this.#taken(id));
    return id;
  }

  get counter(): number {
    return this.#n;
  }
}
