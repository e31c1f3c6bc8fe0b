import type { Clock } from '../clock/clock.js';
import type { DefinitionChange } from '../core/definition-change.js';
import { parseDefinition } from '../definitions/parse.js';
import { DefinitionError } from '../errors/definition-error.js';
import type { Issue } from '../errors/issue.js';
import { NotFoundError } from '../errors/not-found-error.js';
import type { PatternCache } from '../match/pattern-cache.js';
import {
  type Automation,
  type AutomationUpdate,
  automationUpdateSchema,
  type NewAutomation,
  newAutomationSchema,
  type SaveOptions,
  saveOptionsSchema,
} from '../schema/automation.js';
import { newAutomation } from './defaults.js';
import { Definitions, type DefinitionsState } from './definitions.js';
import { type AutomationExport, exportAutomations } from './export-automations.js';
import { GeneratedIds } from './generated-ids.js';
import { type ImportResult, importAutomations } from './import-automations.js';
import type { ImportOptions } from './import-options.js';
import type { IntegrationCatalog } from './integration-catalog.js';
import { type AutomationFilter, listFilter } from './list-filter.js';
import { applyPatch } from './patch.js';
import { restoreAutomation } from './restore-automation.js';
import { sameJson } from './same-json.js';
import { type Peers, peersOf, type Rules, validateAutomation } from './validate.js';

export interface ManagementOptions {
  readonly clock: Clock;
  readonly patterns: PatternCache;
  /** When given, actions may only name these integrations, with actions their kind delivers. */
  readonly integrations?: IntegrationCatalog;
  /** Told of every change, in order; a throw undoes the change (or the whole import) it was told of. */
  readonly onChange: (change: DefinitionChange) => void;
}

/** The definitions as snapshots keep them. `load` continues from a snapshot's, validated, into a fresh set. */
export interface DefinitionsStore {
  readonly revision: number;
  save(): DefinitionsState;
  load(state: DefinitionsState): void;
}

/**
 * The saved automations and every rule for building and changing them: defaults, patches, validation, revisions,
 * import and export. Each change is validated whole before it is made, and made as numbered changes, in order.
 */
export class Management {
  readonly #clock: Clock;
  readonly #rules: Rules;
  readonly #definitions: Definitions;
  readonly definitions: DefinitionsStore;

  constructor(options: ManagementOptions) {
    this.#clock = options.clock;
    this.#rules = {
      patterns: options.patterns,
      ...(options.integrations !== undefined && { integrations: options.integrations }),
    };
    const definitions = new Definitions(options.onChange);
    this.#definitions = definitions;
    this.definitions = {
      get revision() {
        return definitions.revision;
      },
      save: () => definitions.save(),
      load: (state) => this.#load(state),
    };
  }

  /** Validate and save. The name is required (here or in the draft) and unique. */
  save(draft: NewAutomation, options: SaveOptions = {}): Automation {
    const parsed = parseDefinition(newAutomationSchema, draft, 'automation');
    const opts = parseDefinition(saveOptionsSchema, options, 'save options');
    const ids = new GeneratedIds(this.#definitions.nextId, (id) => this.#definitions.get(id) !== undefined);
    const now = this.#clock.now();
    const after = newAutomation(parsed, opts, { id: opts.id ?? ids.next(), createdAt: now, updatedAt: now });
    this.#check(after);
    this.#definitions.commit([{ after }], { nextId: ids.counter });
    return after;
  }

  /** Change the fields the patch names; `null` takes an optional field away. */
  update(id: string, patch: AutomationUpdate): Automation {
    const before = this.#require(id);
    const parsed = parseDefinition(automationUpdateSchema, patch, 'update');
    const after = applyPatch(before, parsed, this.#clock.now());
    // A patch that changes nothing (enabling an enabled automation, say) is no change: no revision, no new time.
    if (sameJson({ ...after, updatedAt: before.updatedAt }, before)) return before;
    this.#check(after, id);
    this.#definitions.commit([{ before, after }]);
    return after;
  }

  enable(id: string): Automation {
    return this.update(id, { enabled: true });
  }

  disable(id: string): Automation {
    return this.update(id, { enabled: false });
  }

  /** True if it existed. */
  delete(id: string): boolean {
    const before = this.#definitions.get(id);
    if (before === undefined) return false;
    this.#definitions.commit([{ before }]);
    return true;
  }

  get(id: string): Automation | undefined {
    return this.#definitions.get(id);
  }

  list(filter: AutomationFilter = {}): Automation[] {
    const all = this.#definitions.list();
    const keep = listFilter(filter);
    return keep === undefined ? all : all.filter(keep);
  }

  /**
   * Everything the schema cannot know about a candidate among the saved automations (those it replaces aside):
   * a free id, a unique name, configured integrations that deliver its action, patterns the engine accepts.
   * Returns the issues and changes nothing.
   */
  validate(candidate: Automation, options: { readonly replacing?: string } = {}): Issue[] {
    const others = this.#definitions.list().filter((a) => a.id !== options.replacing);
    return validateAutomation(candidate, peersOf(others), this.#rules);
  }

  exportAutomations(): AutomationExport {
    return exportAutomations(this.#definitions.list());
  }

  /** Plan, validate, apply: all or nothing. */
  importAutomations(json: unknown, options: ImportOptions): ImportResult {
    return importAutomations(
      {
        definitions: this.#definitions,
        now: () => this.#clock.now(),
        check: (candidate, peers) => validateAutomation(candidate, peers, this.#rules),
      },
      json,
      options,
    );
  }

  #check(candidate: Automation, replacing?: string): void {
    const problems = this.validate(candidate, replacing === undefined ? {} : { replacing });
    if (problems.length > 0) throw new DefinitionError(problems, 'automation');
  }

  #require(id: string): Automation {
    const found = this.#definitions.get(id);
    if (found === undefined) throw new NotFoundError(id);
    return found;
  }

  /** Each saved automation read back as it was saved, and validated among those before it; then all at once. */
  #load(state: DefinitionsState): void {
    const loaded: (readonly [Automation, number | undefined])[] = [];
    const ids = new Set<string>();
    const names = new Set<string>();
    const before: Peers = { idTaken: (id) => ids.has(id), nameTaken: (name) => names.has(name) };
    for (const saved of state.automations) {
      const [automation, sequence] = restoreAutomation(saved);
      const problems = validateAutomation(automation, before, this.#rules);
      if (problems.length > 0) throw new DefinitionError(problems, 'automation');
      loaded.push([automation, sequence]);
      ids.add(automation.id);
      names.add(automation.name);
    }
    this.#definitions.restore(state.revision, state.nextId, loaded);
  }
}
