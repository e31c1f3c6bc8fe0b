import { SeriesLayout, type WindowReader } from './layout.js';

/** Where a plan finds the readers of a metric: the trigger index, which changes `version` with every change. */
export interface ReaderIndex<W extends WindowReader> {
  readonly version: number;
  watchers(entity: string, project: string, metric: string): readonly W[];
}

/** A list of metric names as rows give them, with the slot of each in one plan (valid while `epoch` is the plan's). */
export interface MetricShape {
  readonly names: readonly string[];
  readonly slots: Int32Array;
  readonly epoch: number;
}

/** Metric lists a plan remembers: a project's runs seldom log more kinds; beyond it a run's own shape still holds. */
const MAX_SHAPES = 32;

/** Same names in the same order: property names are interned, so each test is a pointer compare. */
function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
  /**
   * The metric lists rows of the project have given, each with its slots: a run logs the same names row after
   * row, but runs of one project interleave with lists of their own (training metrics, one block per GPU).
   */
  #shapes: MetricShape[] = [];
  /** Bumped when the layouts follow a new index: every shape from before is forgotten. */
  #epoch = 0;

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
    // A name nobody watched may be watched now: its slot is UNWATCHED in shapes made before.
    this.#shapes = [];
    this.#epoch += 1;
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
   * The slots of a row's metric names, in order (UNWATCHED for names nobody watches), and the shape that holds
   * them, which the caller keeps with the run and passes back as `known`: when the names are that shape's (or
   * one the project has seen), compared name by name, the answer is its slots, with no lookup per value.
   * Call after `refresh`.
   */
  shapeOf(
    names: readonly string[],
    known: MetricShape | undefined,
    index: ReaderIndex<W>,
    entity: string,
    project: string,
  ): MetricShape {
    if (known !== undefined && known.epoch === this.#epoch && sameNames(known.names, names)) return known;
    const shapes = this.#shapes;
    for (let i = 0; i < shapes.length; i++) {
      const shape = shapes[i] as MetricShape;
      if (sameNames(shape.names, names)) return shape;
    }
    const slots = new Int32Array(names.length);
    for (let i = 0; i < names.length; i++) slots[i] = this.slotOf(names[i] as string, index, entity, project);
    // A copy: the row's own list may be the caller's array, which it may change.
    const shape: MetricShape = { names: [...names], slots, epoch: this.#epoch };
    // Odd rows (a metric logged once) must not grow the list or its scan without bound: the oldest goes.
    if (shapes.length === MAX_SHAPES) shapes.shift();
    shapes.push(shape);
    return shape;
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
