import { SeriesLayout, type WindowReader } from './layout.js';

/** Where a plan finds the readers of a metric: the trigger index, which changes `version` with every change. */
export interface ReaderIndex<W extends WindowReader> {
  readonly version: number;
  watchers(entity: string, project: string, metric: string): readonly W[];
}

/** What `slotOf` answers for a metric nobody in the project watches. */
export const UNWATCHED = -1;
/** Unwatched names remembered per project: beyond it they are looked up each time, so odd names cannot grow memory. */
const MAX_UNWATCHED = 4096;

/**
 * The metrics watched in one (entity, project), numbered: each run of the project keeps its series in an
 * array by that number, so a value costs one Map lookup of its name, and each number has the layout its
 * series share. Numbers are never reused; layouts follow the index lazily, on the first value after a change.
 */
export class MetricPlan<W extends WindowReader> {
  readonly #slots = new Map<string, number>();
  readonly #names: string[] = [];
  #layouts: (SeriesLayout<W> | undefined)[] = [];
  #unwatched = 0;
  #version = -1;
  /** The names of the last row and their slots: rows of one project usually list the same names in order. */
  #lastNames: readonly string[] = [];
  #lastSlots = new Int32Array(0);

  /** Slots numbered so far. */
  get size(): number {
    return this.#names.length;
  }

  /** The metric name of a slot. */
  nameOf(slot: number): string {
    return this.#names[slot] as string;
  }

  /** The layout series of `slot` follow now; undefined when nobody watches the metric any more. */
  layout(slot: number): SeriesLayout<W> | undefined {
    return this.#layouts[slot];
  }

  /** Bring the layouts up to the index's version: a slot whose watchers did not change keeps its layout. */
  refresh(index: ReaderIndex<W>, entity: string, project: string): void {
    if (this.#version === index.version) return;
    this.#version = index.version;
    this.#lastNames = [];
    this.#layouts = this.#names.map((name, slot) => {
      const watchers = index.watchers(entity, project, name);
      if (watchers.length === 0) return undefined;
      const before = this.#layouts[slot];
      return before?.sameWatchers(watchers) === true ? before : new SeriesLayout(watchers);
    });
    // A name nobody watched may be watched now: forget them all.
    if (this.#unwatched > 0) {
      for (const [name, slot] of this.#slots) if (slot === UNWATCHED) this.#slots.delete(name);
      this.#unwatched = 0;
    }
  }

  /**
   * The slots of a row's metric names, in order (UNWATCHED for names nobody watches). When the names are the
   * last row's, compared by identity, the answer is the last one: no lookup per value. Call after `refresh`.
   */
  slotsOf(names: readonly string[], index: ReaderIndex<W>, entity: string, project: string): Int32Array {
    const last = this.#lastNames;
    if (names.length === last.length) {
      let same = true;
      for (let i = 0; i < names.length && same; i++) same = names[i] === last[i];
      if (same) return this.#lastSlots;
    }
    const slots = new Int32Array(names.length);
    for (let i = 0; i < names.length; i++) slots[i] = this.slotOf(names[i] as string, index, entity, project);
    this.#lastNames = names;
    this.#lastSlots = slots;
    return slots;
  }

  /**
   * The slot of `name`, numbered on first sight if watched; UNWATCHED if not, unless `always` (for a series
   * restored from a snapshot, kept even when nobody watches it now). Call after `refresh`.
   */
  slotOf(name: string, index: ReaderIndex<W>, entity: string, project: string, always = false): number {
    const known = this.#slots.get(name);
    if (known !== undefined && (known !== UNWATCHED || !always)) return known;
    if (known === UNWATCHED) {
      this.#slots.delete(name);
      this.#unwatched -= 1;
    }
    const watchers = index.watchers(entity, project, name);
    if (watchers.length === 0 && !always) {
      if (this.#unwatched < MAX_UNWATCHED) {
        this.#slots.set(name, UNWATCHED);
        this.#unwatched += 1;
      }
      return UNWATCHED;
    }
    const slot = this.#names.length;
    this.#names.push(name);
    this.#layouts.push(watchers.length === 0 ? undefined : new SeriesLayout(watchers));
    this.#slots.set(name, slot);
    return slot;
  }
}
