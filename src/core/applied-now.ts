import type { AcceptedEvent } from '../events/parse-event.js';
import type { MetricWatcher } from '../routing/watcher.js';
import type { RunRecord } from '../state/run-record.js';
import type { Firing } from './firing.js';
import type { RowEvent, ValueSink } from './row-values.js';
import type { RunProfile } from './run-profiles.js';

type Run = RunRecord<MetricWatcher>;
type MetricsRow = AcceptedEvent & { readonly kind: 'run.metrics' };

/** What `AppliedNow` applies a value with: the metric handler's. */
interface ValueApplier {
  applyValue(
    run: Run,
    profile: RunProfile,
    slot: number,
    values: Float64Array,
    v: number,
    step: number | undefined,
    row: RowEvent,
    out: Firing[],
  ): void;
}

/**
 * The sink of a row applied one event at a time: each value goes into its series as it comes. One object,
 * reused for every row (the row is set by `begin`), so the hot path allocates nothing for it.
 */
export class AppliedNow implements ValueSink, RowEvent {
  #applier: ValueApplier | undefined;
  #accepted: MetricsRow | undefined;
  #run: Run | undefined;
  #profile: RunProfile | undefined;
  #out: Firing[] = [];
  /** The row's values, copied before the first is applied (see ValueSink.own): reused, grown to the longest row. */
  #values = new Float64Array(64);

  /** Between `begin` and `end`: a listener that ingests while a row fires needs a sink of its own. */
  get busy(): boolean {
    return this.#accepted !== undefined;
  }

  begin(applier: ValueApplier, accepted: MetricsRow, run: Run, profile: RunProfile, out: Firing[]): void {
    this.#applier = applier;
    this.#accepted = accepted;
    this.#run = run;
    this.#profile = profile;
    this.#out = out;
  }

  /** Forget the row: its event is not kept past it. */
  end(): void {
    this.#accepted = undefined;
    this.#run = undefined;
    this.#profile = undefined;
  }

  own(values: Float64Array, count: number): Float64Array {
    if (this.#values.length < count) this.#values = new Float64Array(count * 2);
    const own = this.#values;
    // A loop, not set(subarray): a subarray is an object per row.
    for (let k = 0; k < count; k++) own[k] = values[k] as number;
    return own;
  }

  value(slot: number, values: Float64Array, k: number): void {
    const accepted = this.#accepted as MetricsRow;
    const applier = this.#applier as ValueApplier;
    applier.applyValue(
      this.#run as Run,
      this.#profile as RunProfile,
      slot,
      values,
      k,
      accepted.data.step,
      this,
      this.#out,
    );
  }

  event(): AcceptedEvent {
    return this.#accepted as AcceptedEvent;
  }

  time(): number {
    return (this.#accepted as AcceptedEvent).time;
  }
}
