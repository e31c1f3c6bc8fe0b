import type { AcceptedEvent } from '../events/parse-event.js';
import type { Automation } from '../schema/automation.js';
import type { Firing } from './firing.js';

/** An enabled automation compiled into a handler's index. */
export interface Installed {
  /** Replaced in place when an update keeps the event, so windows and state bound to it live on. */
  automation: Automation;
  uninstall(): void;
}

/** One trigger family: compiles the automations it understands, and turns accepted events into firings. */
export interface Handler {
  /** Undefined when the automation is not this handler's kind. */
  install(automation: Automation): Installed | undefined;
  handle(accepted: AcceptedEvent, out: Firing[]): void;
}
