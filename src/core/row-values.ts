import type { AcceptedEvent } from '../events/parse-event.js';

/**
 * Where a row's watched values go, one at a time: applied at once, or staged for later. A value is passed as
 * its place in a Float64Array, never as a number: a number passed to a call that is not inlined is boxed, one
 * heap object per value, which is most of what a row would allocate.
 */
export interface ValueSink {
  /**
   * The array the row's `count` values are passed in from now on: `values` itself, or the sink's own copy when
   * it applies values at once. Then a listener that ingests while one of them fires (and so overwrites the place
   * the fast path reads rows into) cannot change the values of the row still being applied.
   */
  own(values: Float64Array, count: number): Float64Array;
  /** The value `values[k]` of the metric at `slot`. */
  value(slot: number, values: Float64Array, k: number): void;
}

/** A row's event, asked for only when a stale step or a match needs it: a staged row keeps none. */
export interface RowEvent {
  event(): AcceptedEvent;
  /** The event's time, without the event: what a cooldown asks of a match it then holds back. */
  time(): number;
}
