import type { AcceptedEvent } from '../events/parse-event.js';
import { compileEventGridFilter } from '../match/event-grid-filter.js';
import { byAge, insertByAge } from '../routing/age-order.js';
import type { Automation } from '../schema/automation.js';
import type { CloudEvent } from '../schema/cloud-event.js';
import { type Place, scopeCovers } from '../schema/scope.js';
import type { Firer } from './firer.js';
import type { Firing } from './firing.js';
import type { Handler, Installed } from './installed.js';

type EventWatcher = Installed & { matches: (event: CloudEvent) => boolean };

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

/**
 * Event Grid-style subscriptions (§6) over every accepted event. Indexed by event type (case-insensitive), so
 * an event meets only the subscriptions that include its type, plus those that take all types.
 */
export class EventHandler implements Handler {
  #all: readonly EventWatcher[] = [];
  readonly #byType = new Map<string, readonly EventWatcher[]>();
  readonly #firer: Firer;

  constructor(firer: Firer) {
    this.#firer = firer;
  }

  install(automation: Automation): Installed | undefined {
    const event = automation.event;
    if (event.type !== 'OnEvent') return undefined;
    const filter = compileEventGridFilter(event);
    const scope = event.scope;
    const types = event.includedEventTypes;
    const everyType = types === undefined || types.some((t) => t.toUpperCase() === 'ALL');
    const keys = everyType ? [] : [...new Set(types.map((t) => t.toUpperCase()))];
    const watcher: EventWatcher = {
      automation,
      matches: (e) => {
        if (scope !== undefined) {
          const place = placeOf(e);
          if (place === undefined || !scopeCovers(scope, place)) return false;
        }
        return filter(e);
      },
      uninstall: () => {
        if (everyType) this.#all = this.#all.filter((w) => w !== watcher);
        for (const key of keys) {
          const left = (this.#byType.get(key) ?? []).filter((w) => w !== watcher);
          if (left.length > 0) this.#byType.set(key, left);
          else this.#byType.delete(key);
        }
      },
    };
    if (everyType) this.#all = insertByAge(this.#all, watcher);
    for (const key of keys) this.#byType.set(key, insertByAge(this.#byType.get(key) ?? [], watcher));
    return watcher;
  }

  handle(accepted: AcceptedEvent, out: Firing[]): void {
    // Most events meet no subscription: don't even fold the type then.
    if (this.#all.length === 0 && this.#byType.size === 0) return;
    const typed = this.#byType.size === 0 ? undefined : this.#byType.get(accepted.event.type.toUpperCase());
    if (this.#all.length === 0 && typed === undefined) return;
    const candidates =
      typed === undefined ? this.#all : this.#all.length === 0 ? typed : [...this.#all, ...typed].sort(byAge);
    for (const w of candidates) {
      if (!w.matches(accepted.event)) continue;
      const firing = this.#firer.fire(w.automation, accepted, undefined, {});
      if (firing !== undefined) out.push(firing);
    }
  }
}
