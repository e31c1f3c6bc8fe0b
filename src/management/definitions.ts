import type { DefinitionChange } from '../core/definition-change.js';
import { sequenceOf, setSequence } from '../routing/age-order.js';
import type { Automation } from '../schema/automation.js';
import { sameTrigger } from './same-trigger.js';

/** A saved automation as snapshots keep it: with its place in the order of saving. */
export type SequencedAutomation = Automation & { readonly sequence?: number };

/** The definitions in a snapshot: the last revision, the counter behind generated ids, the automations. */
export type DefinitionsState = {
  readonly revision: number;
  readonly nextId: number;
  readonly automations: readonly SequencedAutomation[];
};

/** One step of a change: create (`after`), change (both) or delete (`before`); validated before it is committed. */
export type Step = { readonly before?: Automation; readonly after?: Automation };

/**
 * The saved automations and the ordered log of their changes. It checks nothing (management validates first):
 * it numbers each change with the next revision, keeps each automation's place in the order of saving, and tells
 * the listener of every change, in order.
 */
export class Definitions {
  readonly #listener: (change: DefinitionChange) => void;
  #byId = new Map<string, Automation>();
  #nextId = 1;
  /** The next place in the order of saving: ties in "oldest first" go by it, never by id text. */
  #nextSequence = 0;
  #revision = 0;

  constructor(listener: (change: DefinitionChange) => void) {
    this.#listener = listener;
  }

  /** The revision of the last change; 0 before any. */
  get revision(): number {
    return this.#revision;
  }

  /** The counter behind generated ids, kept in snapshots so a restored engine never reuses one. */
  get nextId(): number {
    return this.#nextId;
  }

  get(id: string): Automation | undefined {
    return this.#byId.get(id);
  }

  /** In the order they were saved (an update keeps its place). */
  list(): Automation[] {
    return [...this.#byId.values()];
  }

  get size(): number {
    return this.#byId.size;
  }

  /**
   * Make the steps, in order, each a change with the next revision; `nextId` moves the id counter on. All or
   * nothing: should the listener throw, every step made is undone (as further changes) and the set is as it was.
   * `at` is told the index of each step before it is made.
   */
  commit(
    steps: readonly Step[],
    options: { readonly nextId?: number; readonly at?: (i: number) => void } = {},
  ) {
    const before = { byId: new Map(this.#byId), nextId: this.#nextId, nextSequence: this.#nextSequence };
    const made: Step[] = [];
    try {
      for (const [i, step] of steps.entries()) {
        options.at?.(i);
        made.push(step);
        this.#make(step);
      }
      if (options.nextId !== undefined) this.#nextId = Math.max(this.#nextId, options.nextId);
    } catch (error) {
      this.#undo(made, before, error);
      throw error;
    }
  }

  #make(step: Step): void {
    const { before, after } = step;
    if (after !== undefined) {
      const sequence = before === undefined ? undefined : sequenceOf(before);
      setSequence(after, sequence ?? this.#nextSequence++);
      this.#byId.set(after.id, after);
    } else if (before !== undefined) {
      // The newest gives its place back, so a save undone leaves no gap.
      if (sequenceOf(before) === this.#nextSequence - 1) this.#nextSequence -= 1;
      this.#byId.delete(before.id);
    }
    this.#tell(before, after);
  }

  #tell(before: Automation | undefined, after: Automation | undefined): void {
    this.#revision += 1;
    this.#listener({
      revision: this.#revision,
      ...(before !== undefined && { before }),
      ...(after !== undefined && { after }),
      sameTrigger: sameTrigger(before, after),
    });
  }

  /** Put the set back as it was, in its order, and tell the listener each step undone, newest first. */
  #undo(
    made: readonly Step[],
    was: { byId: Map<string, Automation>; nextId: number; nextSequence: number },
    cause: unknown,
  ): void {
    this.#byId = was.byId;
    this.#nextId = was.nextId;
    this.#nextSequence = was.nextSequence;
    try {
      for (const step of [...made].reverse()) this.#tell(step.after, step.before);
    } catch (error) {
      throw new AggregateError(
        [cause, error],
        'A change of the automations failed midway, and so did putting them back: their listener is in an unknown state',
      );
    }
  }

  /** Every saved automation with its `sequence`, the revision and the id counter: for snapshots. */
  save(): DefinitionsState {
    return {
      revision: this.#revision,
      nextId: this.#nextId,
      automations: this.list().map((a) => ({ ...a, sequence: sequenceOf(a) ?? 0 })),
    };
  }

  /**
   * Continue from a snapshot's definitions, validated by management, into a fresh set: each automation with the
   * `sequence` it was saved with, if any. Loading is no change: the listener is told of each automation as
   * created, at the loaded revision.
   */
  restore(
    revision: number,
    nextId: number,
    automations: readonly (readonly [Automation, number | undefined])[],
  ): void {
    this.#revision = revision;
    this.#nextId = Math.max(this.#nextId, nextId);
    for (const [automation, given] of automations) {
      const sequence = given ?? this.#nextSequence;
      setSequence(automation, sequence);
      this.#nextSequence = Math.max(this.#nextSequence, sequence + 1);
      this.#byId.set(automation.id, automation);
    }
    for (const [automation] of automations)
      this.#listener({ revision, after: automation, sameTrigger: false });
  }
}
