import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { parseDefinition, parseInput } from '../definitions/parse.js';
import { DefinitionError, isDefinitionError } from '../errors/definition-error.js';
import { type Issue, type IssuePath, issue } from '../errors/issue.js';
import {
  type Automation,
  type AutomationUpdate,
  DAY_MS,
  type NewAutomation,
  type SaveOptions,
} from '../schema/automation.js';
import { type AuthorizeTarget, draftTarget, type Operation, savedTarget } from './authorize.js';
import {
  AUTOMATION_EXPORT_FORMAT,
  AUTOMATION_EXPORT_VERSION,
  type Entry,
  exportDocumentSchema,
} from './export-document.js';

export { AUTOMATION_EXPORT_FORMAT, AUTOMATION_EXPORT_VERSION } from './export-document.js';

/** What `exportAutomations` returns and `importAutomations` reads: plain JSON, ids, settings and times included. */
export type AutomationExport = {
  readonly format: typeof AUTOMATION_EXPORT_FORMAT;
  readonly version: typeof AUTOMATION_EXPORT_VERSION;
  readonly automations: readonly Automation[];
};

/** `merge`: the file's automations are created or updated, the others kept; `replace`: the others are deleted. */
export type ImportMode = 'merge' | 'replace';

export type ImportOptions = {
  readonly mode: ImportMode;
  /** Asked for each change (`save`, `update`, `delete`) before any is made; throw to refuse the whole import. */
  readonly check?: (operation: Operation, target: AuthorizeTarget) => void;
};

const importOptionsSchema = z
  .object({
    mode: z.enum(['merge', 'replace']),
    check: z.custom<ImportOptions['check']>((f) => typeof f === 'function').optional(),
  })
  .strict();

/** The options of an import, checked (and read) once: a mode other than merge or replace is refused. */
export function parseImportOptions(options: unknown): ImportOptions {
  return parseInput(importOptionsSchema, options, 'import options') as ImportOptions;
}

/** The ids each import touched, in file order (deletions in list order); `unchanged`: in the file and already equal. */
export type ImportResult = {
  readonly created: string[];
  readonly updated: string[];
  readonly deleted: string[];
  readonly unchanged: string[];
};

/** The registry's public methods, all an import needs. */
export interface AutomationStore {
  save(draft: NewAutomation, options?: SaveOptions): Automation;
  update(id: string, patch: AutomationUpdate): Automation;
  delete(id: string): boolean;
  restore(saved: Automation): Automation;
  get(id: string): Automation | undefined;
  list(): readonly Automation[];
}

const WHAT = 'automation import';

/** Every saved automation, as plain JSON that `importAutomations` reads back into any engine. */
export function exportAutomations(store: Pick<AutomationStore, 'list'>): AutomationExport {
  return { format: AUTOMATION_EXPORT_FORMAT, version: AUTOMATION_EXPORT_VERSION, automations: store.list() };
}

type Create = { readonly kind: 'create'; readonly index: number; readonly entry: Entry };
type Update = {
  readonly kind: 'update' | 'unchanged';
  readonly index: number;
  readonly entry: Entry;
  readonly before: Automation;
};
type Planned = Create | Update;

/**
 * Read an export (JSON text or parsed) into the store, all or nothing. The whole file is validated first,
 * then every conflict is looked for, then each new or changed definition is tried on a disabled copy (so the
 * engine's own checks, patterns and integrations, run before anything changes); only then is it applied, and
 * should applying still fail, the store is put back as it was. An entry matches a saved automation by id, or,
 * without an id, by name. Throws DefinitionError with paths into the file, e.g. `['automations', 3, 'name']`.
 */
export function importAutomations(store: AutomationStore, json: unknown, given: ImportOptions): ImportResult {
  const options = parseImportOptions(given);
  const entries = readFile(json);
  const before = store.list();
  const plan = planImport(store, before, entries, options.mode);
  const deletions = options.mode === 'replace' ? before.filter((a) => !plan.targets.has(a.id)) : [];
  for (const p of plan.changes) {
    if (p.kind === 'create') options.check?.('save', draftTarget(draftOf(p.entry), idOf(p.entry)));
    if (p.kind === 'update') options.check?.('update', { ...savedTarget(p.before), draft: draftOf(p.entry) });
  }
  for (const a of deletions) options.check?.('delete', savedTarget(a));
  const names = new FreshNames(store, entries);
  tryOnDisabledCopies(store, plan.changes, names);
  const result: ImportResult = {
    created: [],
    updated: [],
    deleted: deletions.map((a) => a.id),
    unchanged: plan.changes.flatMap((p) => (p.kind === 'unchanged' ? [p.before.id] : [])),
  };
  let at: number | undefined;
  try {
    for (const a of deletions) store.delete(a.id);
    const updates = plan.changes.filter((p): p is Update => p.kind === 'update');
    // A name the file gives one automation may still be held by another that the file renames: move it aside.
    const wanted = new Set(entries.map((e) => e.name));
    for (const p of updates) {
      const current = p.before.name;
      if (current !== p.entry.name && wanted.has(current)) {
        at = p.index;
        store.update(p.before.id, { name: names.next() });
      }
    }
    for (const p of updates) {
      at = p.index;
      applyUpdate(store, p.before, p.entry);
      result.updated.push(p.before.id);
    }
    for (const p of plan.changes) {
      if (p.kind !== 'create') continue;
      at = p.index;
      result.created.push(applyCreate(store, p.entry).id);
    }
  } catch (error) {
    rollback(store, before, error);
    throw isDefinitionError(error) && at !== undefined ? prefixed(error.issues, ['automations', at]) : error;
  }
  return result;
}

function readFile(json: unknown): readonly Entry[] {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new DefinitionError([issue('invalid_format', [], `not JSON: ${message}`, json)], WHAT);
    }
  }
  return parseDefinition(exportDocumentSchema, value, WHAT).automations;
}

/** Match each entry to what it replaces, and find every conflict before anything changes. */
function planImport(
  store: AutomationStore,
  before: readonly Automation[],
  entries: readonly Entry[],
  mode: ImportMode,
): { changes: Planned[]; targets: Set<string> } {
  const problems: Issue[] = [];
  const byName = new Map(before.map((a) => [a.name, a]));
  const firstId = new Map<string, number>();
  const firstName = new Map<string, number>();
  const claimedBy = new Map<string, number>();
  const changes: Planned[] = [];
  for (const [index, entry] of entries.entries()) {
    const at = (field: string): IssuePath => ['automations', index, field];
    if (entry.id !== undefined) {
      const first = firstId.get(entry.id);
      if (first !== undefined) {
        problems.push(
          issue(
            'invalid_value',
            at('id'),
            `id ${JSON.stringify(entry.id)} is also at automations[${first}]`,
            entry.id,
          ),
        );
      } else firstId.set(entry.id, index);
    }
    const firstWithName = firstName.get(entry.name);
    if (firstWithName !== undefined) {
      problems.push(
        issue(
          'duplicate_name',
          at('name'),
          `the name ${JSON.stringify(entry.name)} is also at automations[${firstWithName}]`,
          entry.name,
        ),
      );
      continue;
    }
    firstName.set(entry.name, index);
    const target = entry.id !== undefined ? store.get(entry.id) : byName.get(entry.name);
    if (target === undefined) {
      changes.push({ kind: 'create', index, entry });
      continue;
    }
    const claimed = claimedBy.get(target.id);
    if (claimed !== undefined) {
      problems.push(
        issue(
          'invalid_value',
          at(entry.id !== undefined ? 'id' : 'name'),
          `automations[${claimed}] already stands for the automation ${JSON.stringify(target.id)}`,
          entry.id ?? entry.name,
        ),
      );
      continue;
    }
    claimedBy.set(target.id, index);
    changes.push({
      kind: sameDefinition(target, entry) ? 'unchanged' : 'update',
      index,
      entry,
      before: target,
    });
  }
  // Automations the import keeps as they are must not share a name with one it writes.
  if (mode === 'merge') {
    for (const p of changes) {
      const holder = byName.get(p.entry.name);
      if (holder !== undefined && !claimedBy.has(holder.id)) {
        problems.push(
          issue(
            'duplicate_name',
            ['automations', p.index, 'name'],
            `an automation named ${JSON.stringify(p.entry.name)} exists (id ${JSON.stringify(holder.id)}) and the file does not replace it`,
            p.entry.name,
          ),
        );
      }
    }
  }
  if (problems.length > 0) throw new DefinitionError(problems, WHAT);
  return { changes, targets: new Set(claimedBy.keys()) };
}

/**
 * The engine's own checks (its pattern engine, its integrations) run only when saving: run them on a disabled
 * copy of each new or changed definition, under a fresh id and name, and delete the copy. A disabled
 * automation watches nothing, so the copies touch no state.
 */
function tryOnDisabledCopies(store: AutomationStore, changes: readonly Planned[], names: FreshNames): void {
  const problems: Issue[] = [];
  for (const p of changes) {
    if (p.kind === 'unchanged') continue;
    const id = names.next();
    let saved = false;
    try {
      store.save({ ...draftOf(p.entry), enabled: false }, { id, name: names.next() });
      saved = true;
    } catch (error) {
      if (!isDefinitionError(error)) throw error;
      problems.push(...prefixed(error.issues, ['automations', p.index]).issues);
    } finally {
      if (saved) store.delete(id);
    }
  }
  if (problems.length > 0) throw new DefinitionError(problems, WHAT);
}

function applyUpdate(store: AutomationStore, before: Automation, entry: Entry): void {
  const draft = draftOf(entry);
  const { event, action, name, enabled, cooldownMs, description, retryPolicy, rateLimit } = draft;
  const patch: AutomationUpdate = {
    event,
    action,
    ...(name !== undefined && { name }),
    ...(enabled !== undefined && { enabled }),
    ...(cooldownMs !== undefined && { cooldownMs }),
    ...(description !== undefined && { description }),
    ...(retryPolicy !== undefined && { retryPolicy }),
    ...(rateLimit !== undefined && { rateLimit }),
  };
  const updated = store.update(before.id, patch);
  const drops =
    (updated.description !== undefined && description === undefined) ||
    (updated.retryPolicy !== undefined && retryPolicy === undefined) ||
    (updated.rateLimit !== undefined && rateLimit === undefined);
  if (!drops) return;
  // `update` cannot take a field away: put the automation back whole, same id and createdAt (its windows start afresh).
  const { description: _d, retryPolicy: _r, rateLimit: _l, ...kept } = updated;
  store.delete(before.id);
  store.restore({
    ...kept,
    ...(description !== undefined && { description }),
    ...(retryPolicy !== undefined && { retryPolicy }),
    ...(rateLimit !== undefined && { rateLimit }),
  });
}

function applyCreate(store: AutomationStore, entry: Entry): Automation {
  const draft = draftOf(entry);
  if (entry.id !== undefined && entry.createdAt !== undefined && entry.updatedAt !== undefined) {
    const { description, retryPolicy, rateLimit } = draft;
    return store.restore({
      id: entry.id,
      name: entry.name,
      ...(description !== undefined && { description }),
      enabled: draft.enabled ?? true,
      event: draft.event,
      action: draft.action,
      cooldownMs: draft.cooldownMs ?? DAY_MS,
      ...(retryPolicy !== undefined && { retryPolicy }),
      ...(rateLimit !== undefined && { rateLimit }),
      createdAt: entry.createdAt,
      updatedAt: entry.updatedAt,
    });
  }
  return store.save(draft, idOf(entry));
}

/**
 * Put the store back to `before`: the same automations, equal to what they were, in the same order. From the
 * first one that is not the very object it was, every later one is deleted and restored in order.
 */
function rollback(store: AutomationStore, before: readonly Automation[], cause: unknown): void {
  try {
    const ids = new Set(before.map((a) => a.id));
    for (const a of store.list()) if (!ids.has(a.id)) store.delete(a.id);
    const now = store.list();
    let k = 0;
    while (k < before.length && now[k] === before[k]) k++;
    for (const a of now.slice(k)) store.delete(a.id);
    for (const a of before.slice(k)) store.restore(a);
  } catch (error) {
    throw new AggregateError(
      [cause, error],
      'An import failed midway, and so did putting the automations back: they are in an unknown state',
    );
  }
}

/** An entry as a definition, defaults applied, so that it means the same whether it creates or updates. */
function draftOf(entry: Entry): NewAutomation {
  return {
    event: entry.event,
    action: entry.action,
    name: entry.name,
    ...(entry.description !== undefined && { description: entry.description }),
    enabled: entry.enabled ?? true,
    cooldownMs: entry.cooldownMs ?? DAY_MS,
    ...(entry.retryPolicy !== undefined && { retryPolicy: entry.retryPolicy }),
    ...(entry.rateLimit !== undefined && { rateLimit: entry.rateLimit }),
  };
}

function idOf(entry: Entry): SaveOptions {
  return entry.id === undefined ? {} : { id: entry.id };
}

function sameDefinition(saved: Automation, entry: Entry): boolean {
  const draft = draftOf(entry);
  return (
    saved.name === draft.name &&
    saved.description === draft.description &&
    saved.enabled === draft.enabled &&
    saved.cooldownMs === draft.cooldownMs &&
    isDeepStrictEqual(saved.event, draft.event) &&
    isDeepStrictEqual(saved.action, draft.action) &&
    isDeepStrictEqual(saved.retryPolicy, draft.retryPolicy) &&
    isDeepStrictEqual(saved.rateLimit, draft.rateLimit)
  );
}

function prefixed(issues: readonly Issue[], prefix: IssuePath): DefinitionError {
  return new DefinitionError(
    issues.map((i) => ({ ...i, path: [...prefix, ...i.path] })),
    WHAT,
  );
}

/** Ids and names for the moment an automation spends aside, never one in use or in the file. */
class FreshNames {
  readonly #taken: Set<string>;
  readonly #store: AutomationStore;
  #n = 0;

  constructor(store: AutomationStore, entries: readonly Entry[]) {
    this.#store = store;
    this.#taken = new Set(entries.flatMap((e) => (e.id === undefined ? [e.name] : [e.name, e.id])));
    for (const a of store.list()) this.#taken.add(a.name);
  }

  next(): string {
    let candidate: string;
    do candidate = `~import~${++this.#n}`;
    while (this.#taken.has(candidate) || this.#store.get(candidate) !== undefined);
    this.#taken.add(candidate);
    return candidate;
  }
}
