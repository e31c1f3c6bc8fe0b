import type { CloudEvent } from '../schema/cloud-event.js';
import type { EventGridFilter } from '../schema/event-grid-filter.js';
import { compileAdvancedFilter } from './advanced-operators.js';

export type EventPredicate = (event: CloudEvent) => boolean;

function compileTypes(types: readonly string[] | undefined): EventPredicate | undefined {
  if (types === undefined || types.some((t) => t.toUpperCase() === 'ALL')) return undefined;
  const exact = new Set(types);
  const folded = new Set(types.map((t) => t.toUpperCase()));
  // The exact lookup first spares folding (one string allocation) for the common, same-case event.
  return (event) =>
    typeof event.type === 'string' && (exact.has(event.type) || folded.has(event.type.toUpperCase()));
}

function compileSubject(filter: EventGridFilter): EventPredicate | undefined {
  const sensitive = filter.isSubjectCaseSensitive;
  const fold = (s = ''): string => (sensitive ? s : s.toUpperCase());
  const begins = fold(filter.subjectBeginsWith);
  const ends = fold(filter.subjectEndsWith);
  if (begins === '' && ends === '') return undefined;
  return (event) => {
    const subject = event.subject;
    if (typeof subject !== 'string') return false;
    const text = sensitive ? subject : subject.toUpperCase();
    return text.startsWith(begins) && text.endsWith(ends);
  };
}

/**
 * Compile an Event Grid subscription filter once into a predicate: event types, subject and every advanced
 * filter must all pass (SEMANTICS §6).
 */
export function compileEventGridFilter(filter: EventGridFilter): EventPredicate {
  const checks: EventPredicate[] = [];
  const types = compileTypes(filter.includedEventTypes);
  if (types !== undefined) checks.push(types);
  const subject = compileSubject(filter);
  if (subject !== undefined) checks.push(subject);
  for (const advanced of filter.advancedFilters ?? []) {
    checks.push(compileAdvancedFilter(advanced, filter.enableAdvancedFilteringOnArrays));
  }
  return (event) => {
    for (const check of checks) if (!check(event)) return false;
    return true;
  };
}
