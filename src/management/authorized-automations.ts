import { parseDefinition, parseInput } from '../definitions/parse.js';
import { NotFoundError } from '../errors/not-found-error.js';
import {
  type Automation,
  type AutomationUpdate,
  automationUpdateSchema,
  type NewAutomation,
  newAutomationSchema,
  type SaveOptions,
  saveOptionsSchema,
} from '../schema/automation.js';
import type { DeliveryRecord } from '../sinks/delivery/delivery-record.js';
import {
  type Authorize,
  type AuthorizeTarget,
  askAuthorized,
  checkAuthorized,
  draftTarget,
  type Operation,
  resultTarget,
  savedTarget,
  updateTarget,
} from './authorize.js';
import type { AutomationExport } from './export-automations.js';
import { type HistoryFilter, historyFilterSchema } from './history-filter.js';
import type { ImportResult } from './import-automations.js';
import { type ImportOptions, parseImportOptions } from './import-options.js';
import type { AutomationFilter } from './list-filter.js';

/** What the authorized view acts through: the engine's own management methods. */
export interface ManagedAutomations {
  save(draft: NewAutomation, options?: SaveOptions): Automation;
  update(id: string, patch: AutomationUpdate): Automation;
  delete(id: string): boolean;
  get(id: string): Automation | undefined;
  list(filter?: AutomationFilter): Automation[];
  exportAutomations(): AutomationExport;
  importAutomations(json: unknown, options: ImportOptions): ImportResult;
  history(filter?: HistoryFilter): DeliveryRecord[];
}

/** Parsed options without the keys zod kept as `undefined`: what `exactOptionalPropertyTypes` calls absent. */
function present<T extends object>(parsed: { readonly [K in keyof T]?: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined)) as T;
}

/**
 * `engine.as(principal)`: the management methods, each asking `authorize` before it changes anything, and the
 * reads, which ask `read` and hold only what the principal may read. Every input is read once, validated,
 * and that copy is both what `authorize` sees and what is applied, so no getter can answer them differently.
 */
export class AuthorizedAutomations {
  readonly #target: ManagedAutomations;
  readonly #authorize: Authorize;
  readonly #principal: unknown;

  constructor(target: ManagedAutomations, authorize: Authorize, principal: unknown) {
    this.#target = target;
    this.#authorize = authorize;
    this.#principal = principal;
  }

  get principal(): unknown {
    return this.#principal;
  }

  save(draft: NewAutomation, options: SaveOptions = {}): Automation {
    const parsed = parseDefinition(newAutomationSchema, draft, 'automation');
    const opts = present<SaveOptions>(parseDefinition(saveOptionsSchema, options, 'save options'));
    this.#check('save', draftTarget(parsed, opts));
    return this.#target.save(parsed, opts);
  }

  /** Asked twice, both must allow: on the automation as it is, and on what it would become. */
  update(id: string, patch: AutomationUpdate): Automation {
    const before = this.#require('update', id);
    const parsed = present<AutomationUpdate>(parseDefinition(automationUpdateSchema, patch, 'update'));
    this.#checkUpdate(updateTarget(before, parsed));
    return this.#target.update(id, parsed);
  }

  enable(id: string): Automation {
    this.#check('enable', savedTarget(this.#require('enable', id)));
    return this.#target.update(id, { enabled: true });
  }

  disable(id: string): Automation {
    this.#check('disable', savedTarget(this.#require('disable', id)));
    return this.#target.update(id, { enabled: false });
  }

  delete(id: string): boolean {
    const before = this.#target.get(id);
    this.#check('delete', before === undefined ? { id } : savedTarget(before));
    return this.#target.delete(id);
  }

  /** Asked once as `import`, then for each change it would make (`save`, `update` twice, `delete`), before any. */
  importAutomations(json: unknown, given: ImportOptions): ImportResult {
    // Checked and copied once, before anything reads it: no getter can answer twice.
    const copy = parseImportOptions(given);
    this.#check('import', {});
    const outer = copy.check;
    return this.#target.importAutomations(json, {
      ...copy,
      check: (operation, target) => {
        outer?.(operation, target);
        if (operation === 'update') this.#checkUpdate(target);
        else this.#check(operation, target);
      },
    } as ImportOptions);
  }

  /** The automation, if `read` allows it; refused alike whether or not the id exists. */
  get(id: string): Automation | undefined {
    const found = this.#target.get(id);
    this.#check('read', found === undefined ? { id } : savedTarget(found));
    return found;
  }

  /** The automations the principal may read (each asked as `read`), filtered as `engine.list` does. */
  list(filter: AutomationFilter = {}): Automation[] {
    return this.#target.list(filter).filter((a) => this.#mayRead(savedTarget(a)));
  }

  /** An export of the automations the principal may read, for `importAutomations`. */
  exportAutomations(): AutomationExport {
    const all = this.#target.exportAutomations();
    return { ...all, automations: all.automations.filter((a) => this.#mayRead(savedTarget(a))) };
  }

  /**
   * Delivery records of automations the principal may read, newest first; `limit` counts those. A record of an
   * automation since deleted is asked about by its id and name only (no scope), so a scope rule hides it.
   */
  history(filter: HistoryFilter = {}): DeliveryRecord[] {
    const { limit, ...rest } = present<HistoryFilter>(
      parseInput(historyFilterSchema, filter, 'history filter'),
    );
    const decided = new Map<string, boolean>();
    const out: DeliveryRecord[] = [];
    for (const record of this.#target.history(rest)) {
      let allowed = decided.get(record.automationId);
      if (allowed === undefined) {
        const saved = this.#target.get(record.automationId);
        const gone = { id: record.automationId, name: record.automationName };
        allowed = this.#mayRead(saved === undefined ? gone : savedTarget(saved));
        decided.set(record.automationId, allowed);
      }
      if (!allowed) continue;
      out.push(record);
      if (limit !== undefined && out.length >= limit) break;
    }
    return out;
  }

  #check(operation: Operation, target: AuthorizeTarget): void {
    checkAuthorized(this.#authorize, this.#principal, operation, target);
  }

  /** `false` hides one item; a throw or a non-boolean refuses the whole read (fail closed, not a shorter list). */
  #mayRead(target: AuthorizeTarget): boolean {
    return askAuthorized(this.#authorize, this.#principal, 'read', target);
  }

  #checkUpdate(target: AuthorizeTarget): void {
    this.#check('update', target);
    if (target.draft !== undefined) this.#check('update', resultTarget(target.id, target.draft));
  }

  /** An unknown id is refused like any other when `authorize` refuses it, so refusals do not tell what exists. */
  #require(operation: Operation, id: string): Automation {
    const found = this.#target.get(id);
    if (found !== undefined) return found;
    this.#check(operation, { id });
    throw new NotFoundError(id);
  }
}
