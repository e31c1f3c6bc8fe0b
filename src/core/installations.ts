import { FAMILY_OF, type TriggerFamily } from '../routing/trigger-families.js';
import type { Automation } from '../schema/automation.js';
import type { DefinitionChange } from './definition-change.js';
import type { Handler, Installed } from './installed.js';

/**
 * A partition's own view of the definitions: the enabled automations compiled into their families' indexes,
 * every saved automation's cooldown, and the revision of the last change applied. Partitions of a cluster reach
 * a change at different times, so each keeps its own.
 */
export class Installations {
  readonly #handlers: Readonly<Record<TriggerFamily, Handler>>;
  readonly #installed = new Map<string, Installed>();
  readonly #perFamily = new Map<TriggerFamily, number>();
  /** Every saved automation's cooldown, enabled or not: a run is released only once they have all run out. */
  readonly cooldowns = new Map<string, number>();
  revision = 0;

  constructor(handlers: Readonly<Record<TriggerFamily, Handler>>) {
    this.#handlers = handlers;
  }

  /** Whether any enabled automation of the family is installed: the clock-driven families join a route only then. */
  uses(family: TriggerFamily): boolean {
    return (this.#perFamily.get(family) ?? 0) > 0;
  }

  #count(family: TriggerFamily, by: number): void {
    this.#perFamily.set(family, (this.#perFamily.get(family) ?? 0) + by);
  }

  /** The automation id of an installed watcher, or undefined for one since replaced. */
  idOf(watcher: { readonly automation: Automation }): string | undefined {
    const id = watcher.automation.id;
    return Object.is(this.#installed.get(id), watcher) ? id : undefined;
  }

  /**
   * Apply one change. A change that keeps the trigger (management's `sameTrigger`) keeps the installed
   * automation and so its windows, while it stays enabled; a new trigger, or disabling, drops them.
   */
  apply(change: DefinitionChange): void {
    const { before, after } = change;
    if (before !== undefined && after === undefined) this.cooldowns.delete(before.id);
    if (after !== undefined) this.cooldowns.set(after.id, after.cooldownMs);
    this.revision = change.revision;
    const current = before === undefined ? undefined : this.#installed.get(before.id);
    if (current !== undefined && after?.enabled === true && change.sameTrigger) {
      current.automation = after;
      return;
    }
    if (current !== undefined && before !== undefined) {
      current.uninstall();
      this.#installed.delete(before.id);
      this.#count(FAMILY_OF[current.automation.event.type], -1);
    }
    if (after?.enabled !== true) return;
    const family = FAMILY_OF[after.event.type];
    this.#installed.set(after.id, this.#handlers[family].install(after));
    this.#count(family, 1);
  }
}
