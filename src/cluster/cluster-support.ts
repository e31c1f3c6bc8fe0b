import { DefinitionError } from '../errors/definition-error.js';
import { type Issue, issue } from '../errors/issue.js';
import type { Automation } from '../schema/automation.js';

/**
 * Why a cluster cannot run an automation as one engine would, or undefined when it can. Workers own partitions
 * of runs, so a trigger that reads many runs at once (a count per project or entity, a schedule's summary) or one
 * fired by the clock rather than by an event (a stall, a schedule) would fire differently, or not at all: refused
 * at push rather than silently run otherwise (SEMANTICS §9).
 */
export function unsupported(automation: Automation): { field: string; why: string } | undefined {
  const event = automation.event;
  if (event.type === 'OnRunStalled')
    return { field: 'type', why: 'cluster workers do not judge stalls: run OnRunStalled in one engine' };
  if (event.type === 'OnSchedule')
    return { field: 'type', why: 'cluster workers fire no schedules: run OnSchedule in one engine' };
  if (event.type === 'OnRunState' && event.count !== undefined)
    return {
      field: 'count',
      why: 'a count across runs spans partitions that different workers own: run it in one engine',
    };
  return undefined;
}

/** Refuse, naming each, the automations of a push that a cluster cannot run as one engine would. */
export function checkClusterSupport(automations: readonly Automation[], document: unknown): void {
  const issues: Issue[] = [];
  for (const automation of automations) {
    const problem = unsupported(automation);
    if (problem === undefined) continue;
    const index = indexOfName(document, automation.name);
    const at = index === undefined ? [automation.name] : [index];
    issues.push(
      issue('invalid_value', ['automations', ...at, 'event', problem.field], problem.why, automation.name),
    );
  }
  if (issues.length > 0) throw new DefinitionError(issues, 'pushDefinitions automations');
}

/** The index of the entry named `name` in the pushed document's list, read without running its code. */
function indexOfName(document: unknown, name: string): number | undefined {
  const list = Array.isArray(document)
    ? document
    : typeof document === 'object' && document !== null
      ? Object.getOwnPropertyDescriptor(document, 'automations')?.value
      : undefined;
  if (!Array.isArray(list)) return undefined;
  for (let i = 0; i < list.length; i++) {
    const entry: unknown = Object.getOwnPropertyDescriptor(list, i)?.value;
    if (typeof entry !== 'object' || entry === null) continue;
    if (Object.getOwnPropertyDescriptor(entry, 'name')?.value === name) return i;
  }
  return undefined;
}
