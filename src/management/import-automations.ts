import { DefinitionError, isDefinitionError } from '../errors/definition-error.js';
import type { Issue, IssuePath } from '../errors/issue.js';
import type { Automation } from '../schema/automation.js';
import { draftTarget, savedTarget } from './authorize.js';
import { newAutomation } from './defaults.js';
import type { Definitions, Step } from './definitions.js';
import { type Entry, readExport } from './export-document.js';
import { GeneratedIds } from './generated-ids.js';
import { type ImportOptions, parseImportOptions } from './import-options.js';
import { entryDraft, type PlannedUpdate, planImport } from './import-plan.js';
import type { Peers } from './validate.js';

/** The ids each import touched, in file order (deletions in list order); `unchanged`: in the file and already equal. */
export type ImportResult = {
  readonly created: string[];
  readonly updated: string[];
  readonly deleted: string[];
  readonly unchanged: string[];
};

/** What an import works on: the saved set, the clock, and validation as `validate` does it. */
export interface ImportHost {
  readonly definitions: Definitions;
  now(): number;
  /** The issues of `candidate` among its peers. */
  check(candidate: Automation, peers: Peers): Issue[];
}

const WHAT = 'automation import';

/**
 * Read an export (JSON text or parsed) into the saved set, all or nothing: plan, validate, apply. The plan is the
 * whole import (creates, updates, and for `replace` deletes); each new or changed automation is validated against
 * the set the import would leave; only then are the changes made, in order (deletes, updates, creates), each with
 * its revision. An update that keeps the trigger keeps the windows, even when it drops a field. Throws
 * DefinitionError with paths into the file, e.g. `['automations', 3, 'name']`.
 */
export function importAutomations(host: ImportHost, json: unknown, given: ImportOptions): ImportResult {
  const options = parseImportOptions(given);
  const entries = readExport(json, WHAT);
  const saved = host.definitions.list();
  const plan = planImport(saved, entries, options.mode);
  for (const p of plan.changes) {
    if (p.kind === 'create') options.check?.('save', draftTarget(entryDraft(p.entry), idOf(p.entry)));
    if (p.kind === 'update')
      options.check?.('update', { ...savedTarget(p.before), draft: entryDraft(p.entry) });
  }
  for (const a of plan.deletes) options.check?.('delete', savedTarget(a));

  const now = host.now();
  const inFile = new Set(entries.flatMap((e) => (e.id === undefined ? [] : [e.id])));
  const ids = new GeneratedIds(
    host.definitions.nextId,
    (id) => inFile.has(id) || host.definitions.get(id) !== undefined,
  );
  const updates = plan.changes.filter((p): p is PlannedUpdate => p.kind === 'update');
  const built = plan.changes.flatMap((p): Built[] => {
    if (p.kind === 'unchanged') return [];
    const after = p.kind === 'create' ? created(p.entry, ids, now) : updated(p.before, p.entry, now);
    return [{ index: p.index, before: p.kind === 'update' ? p.before : undefined, after }];
  });
  const problems = validateWhole(host, saved, plan.deletes, built);
  if (problems.length > 0) throw new DefinitionError(problems, WHAT);

  const steps: { readonly step: Step; readonly index?: number }[] = [
    ...plan.deletes.map((before) => ({ step: { before } })),
    ...built.flatMap(({ index, before, after }) =>
      before === undefined ? [] : [{ step: { before, after }, index }],
    ),
    ...built.flatMap(({ index, before, after }) =>
      before === undefined ? [{ step: { after }, index }] : [],
    ),
  ];
  let at: number | undefined;
  try {
    host.definitions.commit(
      steps.map((s) => s.step),
      { nextId: ids.counter, at: (i) => (at = steps[i]?.index) },
    );
  } catch (error) {
    throw isDefinitionError(error) && at !== undefined
      ? new DefinitionError(prefixed(error.issues, ['automations', at]), WHAT)
      : error;
  }
  return {
    created: built.flatMap((b) => (b.before === undefined ? [b.after.id] : [])),
    updated: updates.map((p) => p.before.id),
    deleted: plan.deletes.map((a) => a.id),
    unchanged: plan.changes.flatMap((p) => (p.kind === 'unchanged' ? [p.before.id] : [])),
  };
}

type Built = { readonly index: number; readonly before: Automation | undefined; readonly after: Automation };

/** The issues of each new or changed automation among the set the import would leave, with paths into the file. */
function validateWhole(
  host: ImportHost,
  saved: readonly Automation[],
  deletes: readonly Automation[],
  built: readonly Built[],
): Issue[] {
  const replaced = new Map(built.flatMap((b) => (b.before === undefined ? [] : [[b.before.id, b.after]])));
  const deleted = new Set(deletes);
  const result = [
    ...saved.filter((a) => !deleted.has(a)).map((a) => replaced.get(a.id) ?? a),
    ...built.flatMap((b) => (b.before === undefined ? [b.after] : [])),
  ];
  // Every candidate is in `result`: another holds its id or name when it is counted twice.
  const idCounts = counts(result.map((a) => a.id));
  const nameCounts = counts(result.map((a) => a.name));
  const peers: Peers = {
    idTaken: (id) => (idCounts.get(id) ?? 0) > 1,
    nameTaken: (name) => (nameCounts.get(name) ?? 0) > 1,
  };
  return built.flatMap((b) => prefixed(host.check(b.after, peers), ['automations', b.index]));
}

/** A new automation from an entry: its own id or the next generated one; its times, or now. */
function created(entry: Entry, ids: GeneratedIds, now: number): Automation {
  const id = entry.id ?? ids.next();
  const times =
    entry.id !== undefined && entry.createdAt !== undefined && entry.updatedAt !== undefined
      ? { createdAt: entry.createdAt, updatedAt: entry.updatedAt }
      : { createdAt: now, updatedAt: now };
  return newAutomation(entryDraft(entry), {}, { id, ...times });
}

/** The file is the whole definition: what it leaves out (description, retry policy, rate limit) is dropped. */
function updated(before: Automation, entry: Entry, now: number): Automation {
  return newAutomation(entryDraft(entry), {}, { id: before.id, createdAt: before.createdAt, updatedAt: now });
}

function counts(keys: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const k of keys) out.set(k, (out.get(k) ?? 0) + 1);
  return out;
}

function idOf(entry: Entry): { readonly id?: string } {
  return entry.id === undefined ? {} : { id: entry.id };
}

function prefixed(issues: readonly Issue[], prefix: IssuePath): Issue[] {
  return issues.map((i) => ({ ...i, path: [...prefix, ...i.path] }));
}
