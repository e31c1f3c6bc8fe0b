import { type Issue, type IssuePath, issue } from '../errors/issue.js';
import type { PatternCache } from '../match/pattern-cache.js';
import { integrationOf } from '../schema/actions.js';
import type { Automation } from '../schema/automation.js';
import { isSimpleRunFilter } from '../schema/run-filter.js';
import { expressionPatterns } from '../schema/run-filter-patterns.js';
import type { IntegrationCatalog } from './integration-catalog.js';

/** What validation checks against besides the other automations: the engine's pattern engine and integrations. */
export type Rules = {
  readonly patterns: PatternCache;
  /** When given, actions may only name these integrations, with actions of the kind each delivers. */
  readonly integrations?: IntegrationCatalog;
};

/** Whether an automation beside the candidate (never the candidate itself) holds an id or a name. */
export interface Peers {
  idTaken(id: string): boolean;
  nameTaken(name: string): boolean;
}

/** The peers of a candidate that is not among `others`. */
export function peersOf(others: Iterable<Automation>): Peers {
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const a of others) {
    ids.add(a.id);
    names.add(a.name);
  }
  return { idTaken: (id) => ids.has(id), nameTaken: (name) => names.has(name) };
}

/**
 * Everything the schema cannot know about `candidate` among its peers (the automations it would sit beside): a
 * free id and a unique name, a configured integration that delivers its action, and patterns the engine's own
 * pattern engine accepts. Returns the issues; changes nothing.
 */
export function validateAutomation(candidate: Automation, peers: Peers, rules: Rules): Issue[] {
  const problems: Issue[] = [];
  if (peers.idTaken(candidate.id))
    problems.push(
      issue('invalid_value', ['id'], `id ${JSON.stringify(candidate.id)} is taken`, candidate.id),
    );
  if (peers.nameTaken(candidate.name)) {
    const name = candidate.name;
    problems.push(
      issue('duplicate_name', ['name'], `an automation named ${JSON.stringify(name)} exists`, name),
    );
  }
  problems.push(...integrationIssues(candidate, rules.integrations));
  for (const [path, source] of patternsOf(candidate)) {
    try {
      rules.patterns.compile(source);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problems.push(issue('invalid_pattern', path, `${rules.patterns.engine.name}: ${message}`, source));
    }
  }
  return problems;
}

function integrationIssues(candidate: Automation, catalog: IntegrationCatalog | undefined): Issue[] {
  const name = integrationOf(candidate.action);
  if (name === undefined || catalog === undefined) return [];
  const path = ['action', 'integration'];
  const kind = catalog(name);
  if (kind === undefined)
    return [issue('unknown_integration', path, `no integration named ${JSON.stringify(name)}`, name)];
  const type = candidate.action.type;
  if (kind.actions.includes(type)) return [];
  const delivers = kind.actions.join(' or ');
  const message = `${JSON.stringify(name)} is a ${kind.type}, which delivers ${delivers} actions, not ${type}`;
  return [issue('invalid_value', path, message, name)];
}

/** Every user pattern of an automation, with its path: the engine's own pattern engine must accept each. */
function patternsOf(automation: Automation): [IssuePath, string][] {
  const event = automation.event;
  const out: [IssuePath, string][] = [];
  const runFilter = 'runFilter' in event ? event.runFilter : undefined;
  if (runFilter !== undefined && isSimpleRunFilter(runFilter)) {
    if (runFilter.runName !== undefined) out.push([['event', 'runFilter', 'runName'], runFilter.runName]);
  } else if (runFilter !== undefined) {
    for (const [path, source] of expressionPatterns(runFilter))
      out.push([['event', 'runFilter', ...path], source]);
  }
  if ('alias' in event && event.alias !== undefined) out.push([['event', 'alias'], event.alias]);
  if ('tag' in event && event.tag !== undefined) out.push([['event', 'tag'], event.tag]);
  return out;
}
