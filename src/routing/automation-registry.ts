import type { Clock } from '../clock/clock.js';
import { deepFreeze, parseDefinition } from '../definitions/parse.js';
import { DefinitionError } from '../errors/definition-error.js';
import { type Issue, type IssuePath, issue } from '../errors/issue.js';
import { NotFoundError } from '../errors/not-found-error.js';
import type { PatternCache } from '../match/pattern-cache.js';
import { integrationOf } from '../schema/actions.js';
import {
  type Automation,
  type AutomationRateLimit,
  type AutomationUpdate,
  automationUpdateSchema,
  DAY_MS,
  type NewAutomation,
  newAutomationSchema,
  type RetryPolicy,
  type SaveOptions,
  saveOptionsSchema,
} from '../schema/automation.js';
import { type Scope, type ScopeInput, scopeSchema } from '../schema/scope.js';
import { sequenceOf, setSequence } from './age-order.js';

export type AutomationFilter = {
  readonly name?: string;
  readonly scope?: ScopeInput;
  readonly enabled?: boolean;
};

/** A saved automation as snapshots keep it: with its place in the order of saving. */
export type SequencedAutomation = Automation & { readonly sequence?: number };

/** Told of every change, with the automation before and after (undefined when created or deleted). */
export type ChangeListener = (before: Automation | undefined, after: Automation | undefined) => void;

export interface RegistryOptions {
  readonly clock: Clock;
  readonly patterns: PatternCache;
  /** When given, actions may only name these integrations. */
  readonly integrations?: (name: string) => boolean;
  readonly onChange: ChangeListener;
}

/** The saved automations: validation, unique names and ids, and the change feed the core compiles from. */
export class AutomationRegistry {
  readonly #options: RegistryOptions;
  readonly #byId = new Map<string, Automation>();
  #nextId = 1;
  /** The next place in the order of saving: ties in "oldest first" go by it, never by id text. */
  #nextSequence = 0;

  constructor(options: RegistryOptions) {
    this.#options = options;
  }

  save(draft: NewAutomation, options: SaveOptions = {}): Automation {
    const parsed = parseDefinition(newAutomationSchema, draft, 'automation');
    const opts = parseDefinition(saveOptionsSchema, options, 'save options');
    const name = opts.name ?? parsed.name;
    if (name === undefined)
      throw new DefinitionError([issue('invalid_type', ['name'], 'a name is required', name)], 'automation');
    const now = this.#options.clock.now();
    const description = opts.description ?? parsed.description;
    return this.#insert({
      id: opts.id ?? this.#generateId(),
      name,
      ...(description !== undefined && { description }),
      enabled: opts.enabled ?? parsed.enabled ?? true,
      ...(parsed.event.scope !== undefined && { scope: parsed.event.scope }),
      event: parsed.event,
      action: parsed.action,
      cooldownMs: opts.cooldownMs ?? parsed.cooldownMs ?? DAY_MS,
      ...withDelivery(opts.retryPolicy ?? parsed.retryPolicy, opts.rateLimit ?? parsed.rateLimit),
      createdAt: now,
      updatedAt: now,
    });
  }

  /**
   * Put back a saved automation from a snapshot, keeping its id, times and place in the order of saving (its
   * `sequence`, or the one it had here when it is the very object this registry gave out; else the next).
   */
  restore(saved: SequencedAutomation): Automation {
    const sequence = typeof saved.sequence === 'number' ? saved.sequence : sequenceOf(saved);
    const parsed = parseDefinition(
      newAutomationSchema,
      { event: saved.event, action: saved.action },
      'saved automation',
    );
    const opts = parseDefinition(
      saveOptionsSchema,
      {
        id: saved.id,
        name: saved.name,
        enabled: saved.enabled,
        cooldownMs: saved.cooldownMs,
        ...(saved.description !== undefined && { description: saved.description }),
        ...(saved.retryPolicy !== undefined && { retryPolicy: saved.retryPolicy }),
        ...(saved.rateLimit !== undefined && { rateLimit: saved.rateLimit }),
      },
      'saved automation',
    );
    return this.#insert(
      {
        id: saved.id,
        name: saved.name,
        ...(opts.description !== undefined && { description: opts.description }),
        enabled: saved.enabled,
        ...(parsed.event.scope !== undefined && { scope: parsed.event.scope }),
        event: parsed.event,
        action: parsed.action,
        cooldownMs: saved.cooldownMs,
        ...withDelivery(opts.retryPolicy, opts.rateLimit),
        createdAt: saved.createdAt,
        updatedAt: saved.updatedAt,
      },
      sequence,
    );
  }

  #insert(candidate: Automation, sequence = this.#nextSequence): Automation {
    const automation = deepFreeze(candidate);
    const problems: Issue[] = [];
    if (this.#byId.has(automation.id)) {
      problems.push(
        issue('invalid_value', ['id'], `id ${JSON.stringify(automation.id)} is taken`, automation.id),
      );
    }
    this.#check(automation, undefined, problems);
    setSequence(automation, sequence);
    this.#nextSequence = Math.max(this.#nextSequence, sequence + 1);
    this.#byId.set(automation.id, automation);
    this.#options.onChange(undefined, automation);
    return automation;
  }

  update(id: string, patch: AutomationUpdate): Automation {
    const before = this.#require(id);
    const p = parseDefinition(automationUpdateSchema, patch, 'update');
    const event = p.event ?? before.event;
    const description = p.description ?? before.description;
    const after: Automation = deepFreeze({
      id,
      name: p.name ?? before.name,
      ...(description !== undefined && { description }),
      enabled: p.enabled ?? before.enabled,
      ...(event.scope !== undefined && { scope: event.scope }),
      event,
      action: p.action ?? before.action,
      cooldownMs: p.cooldownMs ?? before.cooldownMs,
      ...withDelivery(p.retryPolicy ?? before.retryPolicy, p.rateLimit ?? before.rateLimit),
      createdAt: before.createdAt,
      updatedAt: this.#options.clock.now(),
    });
    this.#check(after, before, []);
    setSequence(after, sequenceOf(before) ?? this.#nextSequence++);
    this.#byId.set(id, after);
    this.#options.onChange(before, after);
    return after;
  }

  delete(id: string): boolean {
    const before = this.#byId.get(id);
    if (before === undefined) return false;
    // The newest gives its place back, so a save tried and undone (as imports do) leaves no gap.
    if (sequenceOf(before) === this.#nextSequence - 1) this.#nextSequence -= 1;
    this.#byId.delete(id);
    this.#options.onChange(before, undefined);
    return true;
  }

  /** The counter behind generated ids, kept in snapshots so a restored engine never reuses one. */
  get nextId(): number {
    return this.#nextId;
  }

  set nextId(n: number) {
    this.#nextId = Math.max(this.#nextId, n);
  }

  get(id: string): Automation | undefined {
    return this.#byId.get(id);
  }

  /** Every saved automation with its `sequence`, for snapshots. */
  saved(): SequencedAutomation[] {
    return [...this.#byId.values()].map((a) => ({ ...a, sequence: sequenceOf(a) ?? 0 }));
  }

  list(filter: AutomationFilter = {}): Automation[] {
    const scope: Scope | undefined =
      filter.scope === undefined ? undefined : parseDefinition(scopeSchema, filter.scope, 'scope');
    const scopeKey = scope === undefined ? undefined : JSON.stringify(scope);
    return [...this.#byId.values()].filter(
      (a) =>
        (filter.name === undefined || a.name === filter.name) &&
        (filter.enabled === undefined || a.enabled === filter.enabled) &&
        (scopeKey === undefined || (a.scope !== undefined && JSON.stringify(a.scope) === scopeKey)),
    );
  }

  #require(id: string): Automation {
    const found = this.#byId.get(id);
    if (found === undefined) throw new NotFoundError(id);
    return found;
  }

  #generateId(): string {
    let id: string;
    do id = `aut_${this.#nextId++}`;
    while (this.#byId.has(id));
    return id;
  }

  /** What the schema cannot know: name uniqueness, configured integrations, and the engine's own pattern syntax. */
  #check(automation: Automation, before: Automation | undefined, problems: Issue[]): void {
    for (const other of this.#byId.values()) {
      if (other.id !== before?.id && other.name === automation.name) {
        problems.push(
          issue(
            'duplicate_name',
            ['name'],
            `an automation named ${JSON.stringify(automation.name)} exists`,
            automation.name,
          ),
        );
      }
    }
    const integration = integrationOf(automation.action);
    const known = this.#options.integrations;
    if (integration !== undefined && known !== undefined && !known(integration)) {
      problems.push(
        issue(
          'unknown_integration',
          ['action', 'integration'],
          `no integration named ${JSON.stringify(integration)}`,
          integration,
        ),
      );
    }
    for (const [path, source] of patternsOf(automation)) {
      try {
        this.#options.patterns.compile(source);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        problems.push(
          issue('invalid_pattern', path, `${this.#options.patterns.engine.name}: ${message}`, source),
        );
      }
    }
    if (problems.length > 0) throw new DefinitionError(problems, 'automation');
  }
}

/** Every user pattern of an automation, with its path: the engine's own pattern engine must accept each. */
function patternsOf(automation: Automation): [IssuePath, string][] {
  const event = automation.event;
  const out: [IssuePath, string][] = [];
  if (
    (event.type === 'OnRunMetric' || event.type === 'OnRunState') &&
    event.runFilter?.runName !== undefined
  ) {
    out.push([['event', 'runFilter', 'runName'], event.runFilter.runName]);
  }
  if ('alias' in event && event.alias !== undefined) out.push([['event', 'alias'], event.alias]);
  if ('tag' in event && event.tag !== undefined) out.push([['event', 'tag'], event.tag]);
  return out;
}

function withDelivery(retryPolicy: RetryPolicy | undefined, rateLimit: AutomationRateLimit | undefined) {
  return { ...(retryPolicy !== undefined && { retryPolicy }), ...(rateLimit !== undefined && { rateLimit }) };
}
