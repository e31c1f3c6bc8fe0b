import type { AcceptedEvent } from '../events/parse-event.js';
import { compileEventGridFilter } from '../match/event-grid-filter.js';
import { SubscriptionIndex, type SubscriptionWatcher } from '../routing/subscription-index.js';
import type { Automation } from '../schema/automation.js';
import type { CloudEvent } from '../schema/cloud-event.js';
import { type Place, scopeCovers } from '../schema/scope.js';
import type { Firer } from './firer.js';
import type { Firing } from './firing.js';
import { type Handler, type Installed, wrongFamily } from './installed.js';

/** The place an event's data names, if it names one (canonical events do; foreign ones may not). */
function placeOf(event: CloudEvent): Place | undefined {
  const data = event.data;
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  const text = (key: string): string | undefined => {
    const v = Object.hasOwn(d, key) ? d[key] : undefined;
    return typeof v === 'string' ? v : undefined;
  };
  const entity = text('entity');
  if (entity === undefined) return undefined;
  return { entity, project: text('project'), registry: text('registry'), collection: text('collection') };
}

/** Event Grid-style subscriptions (§6) over every accepted event, by event type. */
export class SubscriptionHandler implements Handler {
  readonly #index = new SubscriptionIndex();
  readonly #firer: Firer;

  constructor(firer: Firer) {
    this.#firer = firer;
  }

  install(automation: Automation): Installed {
    const event = automation.event;
    if (event.type !== 'OnEvent') throw wrongFamily(automation, 'subscription');
    const filter = compileEventGridFilter(event);
    const scope = event.scope;
    const types = event.includedEventTypes;
    const everyType = types === undefined || types.some((t) => t.toUpperCase() === 'ALL');
    const index = this.#index;
    const watcher: SubscriptionWatcher & Installed = {
      automation,
      types: everyType ? [] : [...new Set(types.map((t) => t.toUpperCase()))],
      matches: (e) => {
        if (scope !== undefined) {
          const place = placeOf(e);
          if (place === undefined || !scopeCovers(scope, place)) return false;
        }
        return filter(e);
      },
      uninstall: () => index.remove(watcher),
    };
    index.add(watcher);
    return watcher;
  }

  handle(accepted: AcceptedEvent, out: Firing[]): void {
    // A fast-path row builds its CloudEvent only when asked: don't ask when no subscription could want it.
    if (this.#index.empty) return;
    for (const w of this.#index.candidates(accepted.event.type)) {
      if (!w.matches(accepted.event)) continue;
      const firing = this.#firer.fire(w.automation, accepted, undefined, {});
      if (firing !== undefined) out.push(firing);
    }
  }
}
