import type { AcceptedEvent } from '../events/parse-event.js';

/** Where a row's watched values go, one (slot, value) at a time: applied at once, or staged for later. */
export interface ValueSink {
  value(slot: number, value: number): void;
}

/** A row's event, asked for only when a stale step or a match needs it: a staged row keeps none. */
export interface RowEvent {
  event(): AcceptedEvent;
  /** The event's time, without the event: what a cooldown asks of a match it then holds back. */
  time(): number;
}
