import type { AcceptedEvent } from '../events/parse-event.js';

/**
 * Where a row's watched values go, one at a time: applied at once, or staged for later. A value is passed as
 * its place in a Float64Array, never as a number: a number passed to a call that is not inlined is boxed, one
 * heap object per value, which is most of what a row would allocate.
 */
export interface ValueSink {
  /** The value `values[k]` of the metric at `slot`. */
  value(slot: number, values: Float64Array, k: number): void;
}

/** A row's event, asked for only when a stale step or a match needs it: a staged row keeps none. */
export interface RowEvent {
  event(): AcceptedEvent;
  /** The event's time, without the event: what a cooldown asks of a match it then holds back. */
  time(): number;
}
