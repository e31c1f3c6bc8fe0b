import type { AcceptedEvent } from '../events/parse-event.js';
import { FAMILIES_OF_KIND, type TriggerFamily } from '../routing/trigger-families.js';
import type { Installations } from './installations.js';
import type { Handler } from './installed.js';

/** The handlers each kind of event visits, in the order their firings come out. */
export type EventRoutes = Readonly<Record<AcceptedEvent['kind'], readonly Handler[]>>;

/**
 * Families that do nothing for an event while none of their automations is installed: the engine clock drives
 * stalls and schedules, and subscriptions see every kind of event. Without one, run.metrics rows reach the
 * metric handler alone, and a large batch may apply them grouped by run.
 */
const ON_DEMAND: ReadonlySet<TriggerFamily> = new Set(['stall', 'schedule', 'subscription']);

/**
 * The routes for the automations installed now. Stalls, schedules and subscriptions join only while one is installed, so a row
 * no such trigger watches makes no extra call (the hot path's dispatch stays as it was).
 */
export function eventRoutes(
  families: Readonly<Record<TriggerFamily, Handler>>,
  installed: Pick<Installations, 'uses'>,
): EventRoutes {
  const handlersOf = (kind: AcceptedEvent['kind']) =>
    FAMILIES_OF_KIND[kind].filter((f) => !ON_DEMAND.has(f) || installed.uses(f)).map((f) => families[f]);
  return {
    'run.metrics': handlersOf('run.metrics'),
    'run.state': handlersOf('run.state'),
    'run.updated': handlersOf('run.updated'),
    artifact: handlersOf('artifact'),
    foreign: handlersOf('foreign'),
  };
}
