import type { KV } from '@nats-io/kv';
import type { DefinitionChange } from '../core/definition-change.js';
import type { DefinitionsState, SequencedAutomation } from '../management/definitions.js';
import { restoreAutomation } from '../management/restore-automation.js';
import { sequenceOf, setSequence } from '../routing/age-order.js';
import type { Automation } from '../schema/automation.js';
import { HEAD_KEY, revisionKey } from './layout.js';

/** A definition change as the log keeps it: its automations with their place in the order of saving. */
export type StoredChange = {
  readonly revision: number;
  readonly before?: SequencedAutomation;
  readonly after?: SequencedAutomation;
  readonly sameTrigger: boolean;
};

/** The newest revision: the whole saved set (for the next push) and the changes of the push that made it. */
export type Head = DefinitionsState & { readonly changes: readonly StoredChange[] };

const sequenced = (a: Automation): SequencedAutomation => ({ ...a, sequence: sequenceOf(a) ?? 0 });

export function storeChange(change: DefinitionChange): StoredChange {
  return {
    revision: change.revision,
    ...(change.before !== undefined && { before: sequenced(change.before) }),
    ...(change.after !== undefined && { after: sequenced(change.after) }),
    sameTrigger: change.sameTrigger,
  };
}

function restore(saved: SequencedAutomation): Automation {
  const [automation, sequence] = restoreAutomation(saved);
  if (sequence !== undefined) setSequence(automation, sequence);
  return automation;
}

export function loadChange(stored: StoredChange): DefinitionChange {
  return {
    revision: stored.revision,
    ...(stored.before !== undefined && { before: restore(stored.before) }),
    ...(stored.after !== undefined && { after: restore(stored.after) }),
    sameTrigger: stored.sameTrigger,
  };
}

/** The head and its bucket revision (for compare-and-set), or undefined before the first push. */
export async function readHead(defs: KV): Promise<{ head: Head; at: number } | undefined> {
  const entry = await defs.get(HEAD_KEY);
  if (entry === null || entry.operation !== 'PUT') return undefined;
  return { head: entry.json<Head>(), at: entry.revision };
}

/**
 * The definition changes by revision, read from the `mla-defs` bucket as a worker reaches them and kept: a
 * revision, once written, never changes.
 */
export class DefinitionsLog {
  readonly #defs: KV;
  readonly #changes = new Map<number, DefinitionChange>();

  constructor(defs: KV) {
    this.#defs = defs;
  }

  /** The changes after `from` up to and including `to`, in order. */
  async between(from: number, to: number): Promise<DefinitionChange[]> {
    const out: DefinitionChange[] = [];
    for (let r = from + 1; r <= to; r++) out.push(await this.#get(r));
    return out;
  }

  async #get(revision: number): Promise<DefinitionChange> {
    const known = this.#changes.get(revision);
    if (known !== undefined) return known;
    const entry = await this.#defs.get(revisionKey(revision));
    if (entry === null || entry.operation !== 'PUT')
      throw new Error(`definition revision ${revision} is missing from the ${revisionKey(revision)} key`);
    const change = loadChange(entry.json<StoredChange>());
    this.#changes.set(revision, change);
    return change;
  }
}
