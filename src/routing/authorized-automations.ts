import { parseDefinition } from '../definitions/parse.js';
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
import {
  type Authorize,
  type AuthorizeTarget,
  checkAuthorized,
  draftTarget,
  type Operation,
  savedTarget,
  updateTarget,
} from './authorize.js';
import { type ImportOptions, type ImportResult, parseImportOptions } from './automation-transfer.js';

/** What the authorized view acts through: the engine's own management methods. */
export interface ManagedAutomations {
  save(draft: NewAutomation, options?: SaveOptions): Automation;
  update(id: string, patch: AutomationUpdate): Automation;
  delete(id: string): boolean;
  get(id: string): Automation | undefined;
  importAutomations(json: unknown, options: ImportOptions): ImportResult;
}

/**
 * `engine.as(principal)`: the management methods, each asking `authorize` before it changes anything.
 * Definitions are validated first, so `authorize` sees them normalised (a scope is always an object).
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
    const opts = parseDefinition(saveOptionsSchema, options, 'save options');
    this.#check('save', draftTarget(parsed, opts));
    return this.#target.save(parsed, options);
  }

  update(id: string, patch: AutomationUpdate): Automation {
    const before = this.#require('update', id);
    const parsed = parseDefinition(automationUpdateSchema, patch, 'update');
    this.#check('update', updateTarget(before, parsed));
    return this.#target.update(id, patch);
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

  /** Asked once as `import`, then for each change it would make (`save`, `update`, `delete`), before any. */
  importAutomations(json: unknown, given: ImportOptions): ImportResult {
    const options = parseImportOptions(given);
    this.#check('import', {});
    const outer = options.check;
    return this.#target.importAutomations(json, {
      ...options,
      check: (operation, target) => {
        outer?.(operation, target);
        this.#check(operation, target);
      },
    });
  }

  #check(operation: Operation, target: AuthorizeTarget): void {
    checkAuthorized(this.#authorize, this.#principal, operation, target);
  }

  /** An unknown id is refused like any other when `authorize` refuses it, so refusals do not tell what exists. */
  #require(operation: Operation, id: string): Automation {
    const found = this.#target.get(id);
    if (found !== undefined) return found;
    this.#check(operation, { id });
    throw new NotFoundError(id);
  }
}
