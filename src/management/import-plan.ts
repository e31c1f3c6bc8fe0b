import { DefinitionError } from '../errors/definition-error.js';
import { type Issue, type IssuePath, issue } from '../errors/issue.js';
import type { Automation, NewAutomation } from '../schema/automation.js';
import { withDefaults } from './defaults.js';
import type { Entry } from './export-document.js';
import type { ImportMode } from './import-options.js';
import { sameJson } from './same-json.js';

export type PlannedCreate = { readonly kind: 'create'; readonly index: number; readonly entry: Entry };
export type PlannedUpdate = {
  readonly kind: 'update' | 'unchanged';
  readonly index: number;
  readonly entry: Entry;
  readonly before: Automation;
};
export type Planned = PlannedCreate | PlannedUpdate;

/** What an import would do: each entry (in file order) creates, updates or leaves one automation; some are deleted. */
export type ImportPlan = { readonly changes: readonly Planned[]; readonly deletes: readonly Automation[] };

/** An entry as a definition, defaults applied, so that it means the same whether it creates or updates. */
export function entryDraft(entry: Entry): NewAutomation {
  return withDefaults({
    event: entry.event,
    action: entry.action,
    name: entry.name,
    ...(entry.description !== undefined && { description: entry.description }),
    ...(entry.enabled !== undefined && { enabled: entry.enabled }),
    ...(entry.cooldownMs !== undefined && { cooldownMs: entry.cooldownMs }),
    ...(entry.retryPolicy !== undefined && { retryPolicy: entry.retryPolicy }),
    ...(entry.rateLimit !== undefined && { rateLimit: entry.rateLimit }),
  });
}

/**
 * Match each entry to the saved automation it stands for (by id, or without an id by name) and find every
 * conflict in the file before anything is built: duplicate ids or names, two entries for one automation, and in
 * `merge` a name held by an automation the file keeps. Throws DefinitionError with paths into the file.
 */
export function planImport(
  saved: readonly Automation[],
  entries: readonly Entry[],
  mode: ImportMode,
): ImportPlan {
  const problems: Issue[] = [];
  const byId = new Map(saved.map((a) => [a.id, a]));
  const byName = new Map(saved.map((a) => [a.name, a]));
  const firstId = new Map<string, number>();
  const firstName = new Map<string, number>();
  const claimedBy = new Map<string, number>();
  const changes: Planned[] = [];
  for (const [index, entry] of entries.entries()) {
    const at = (field: string): IssuePath => ['automations', index, field];
    if (entry.id !== undefined) {
      const first = firstId.get(entry.id);
      if (first !== undefined) {
        const message = `id ${JSON.stringify(entry.id)} is also at automations[${first}]`;
        problems.push(issue('invalid_value', at('id'), message, entry.id));
      } else firstId.set(entry.id, index);
    }
    const firstWithName = firstName.get(entry.name);
    if (firstWithName !== undefined) {
      const message = `the name ${JSON.stringify(entry.name)} is also at automations[${firstWithName}]`;
      problems.push(issue('duplicate_name', at('name'), message, entry.name));
      continue;
    }
    firstName.set(entry.name, index);
    const target = entry.id !== undefined ? byId.get(entry.id) : byName.get(entry.name);
    if (target === undefined) {
      changes.push({ kind: 'create', index, entry });
      continue;
    }
    const claimed = claimedBy.get(target.id);
    if (claimed !== undefined) {
      const message = `automations[${claimed}] already stands for the automation ${JSON.stringify(target.id)}`;
      problems.push(
        issue('invalid_value', at(entry.id !== undefined ? 'id' : 'name'), message, entry.id ?? entry.name),
      );
      continue;
    }
    claimedBy.set(target.id, index);
    const kind = sameDefinition(target, entryDraft(entry)) ? 'unchanged' : 'update';
    changes.push({ kind, index, entry, before: target });
  }
  // Automations the import keeps as they are must not share a name with one it writes.
  if (mode === 'merge') {
    for (const p of changes) {
      const holder = byName.get(p.entry.name);
      if (holder !== undefined && !claimedBy.has(holder.id)) {
        const name = JSON.stringify(p.entry.name);
        const message = `an automation named ${name} exists (id ${JSON.stringify(holder.id)}) and the file does not replace it`;
        problems.push(issue('duplicate_name', ['automations', p.index, 'name'], message, p.entry.name));
      }
    }
  }
  if (problems.length > 0) throw new DefinitionError(problems, 'automation import');
  const deletes = mode === 'replace' ? saved.filter((a) => !claimedBy.has(a.id)) : [];
  return { changes, deletes };
}

function sameDefinition(saved: Automation, draft: NewAutomation): boolean {
  return (
    saved.name === draft.name &&
    saved.description === draft.description &&
    saved.enabled === draft.enabled &&
    saved.cooldownMs === draft.cooldownMs &&
    sameJson(saved.event, draft.event) &&
    sameJson(saved.action, draft.action) &&
    sameJson(saved.retryPolicy, draft.retryPolicy) &&
    sameJson(saved.rateLimit, draft.rateLimit)
  );
}
