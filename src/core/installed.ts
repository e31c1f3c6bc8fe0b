import type { AcceptedEvent } from '../events/parse-event.js';
import type { Automation } from '../schema/automation.js';
import type { Firing } from './firing.js';

/** An enabled automation compiled into its family's index. */
export interface Installed {
  /** Replaced in place when an update keeps the event, so windows and state bound to it live on. */
  automation: Automation;
  uninstall(): void;
}

/** One trigger family: compiles the automations of its trigger types, and turns accepted events into firings. */
export interface Handler {
  /** Called only with automations of this family's trigger types (see FAMILY_OF). */
  install(automation: Automation): Installed;
  /** Called only with events of the kinds this family can meet (see FAMILIES_OF_KIND). */
  handle(accepted: AcceptedEvent, out: Firing[]): void;
}

/** A handler given an automation of another family: a fault of ours, thrown so the change is undone. */
export function wrongFamily(automation: Automation, family: string): Error {
  return new Error(`a ${automation.event.type} automation is not of the ${family} family`);
}
