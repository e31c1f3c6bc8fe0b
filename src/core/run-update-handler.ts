import type { AcceptedEvent } from '../events/parse-event.js';
import type { Automation } from '../schema/automation.js';
import type { RunStore } from '../state/run-store.js';
import type { Firing } from './firing.js';
import { type Handler, type Installed, wrongFamily } from './installed.js';

/**
 * `run.updated` (§3.5): the run takes the latest name, user, tags and config the event gives. No trigger is of
 * this family, and it fires nothing: run filters see the change at the run's next metric or state event.
 */
export class RunUpdateHandler implements Handler {
  readonly #runs: RunStore;

  constructor(runs: RunStore) {
    this.#runs = runs;
  }

  install(automation: Automation): Installed {
    throw wrongFamily(automation, 'run');
  }

  handle(accepted: AcceptedEvent, _out: Firing[]): void {
    if (accepted.kind === 'run.updated') this.#runs.identify(accepted.data, accepted.time);
  }
}
