import type { AcceptedEvent } from '../events/parse-event.js';
import type { MetricWatcher } from '../routing/watcher.js';
import type { Retention } from '../state/retention.js';
import type { RunRecord } from '../state/run-record.js';
import { float64s, int32s } from '../windows/off-heap.js';
import type { Deferral } from './deferral.js';
import type { Firing } from './firing.js';
import type { MetricHandler } from './metric-handler.js';
import type { RowEvent, ValueSink } from './row-values.js';
import { mayRelease } from './run-sweep.js';

type Run = RunRecord<MetricWatcher>;
type MetricsRow = AcceptedEvent & { readonly kind: 'run.metrics' };

/**
 * The rows of a grouped batch between their two halves: each row's run, event number, step and watched values
 * (slot and value), in typed arrays. No row object is kept: V8 would copy each one it holds through its young
 * generation and promote it, which costs more than the grouping saves; a stale step or a match asks for the
 * row's event again (`eventOf`). `flush` applies the rows a run's together, the runs in the order they first
 * came and each run's rows in event order, so a run's windows are in cache for all its rows.
 */
export class StagedRows implements ValueSink, RowEvent {
  readonly #metrics: MetricHandler;
  readonly #deferral: Deferral;
  /** The partition's scratch list of firings. */
  readonly #out: Firing[];
  readonly #fault: (accepted: AcceptedEvent, error: unknown) => void;
  #eventOf: (number: number) => AcceptedEvent = missing;
  #count = 0;
  readonly #runs: (Run | undefined)[] = [];
  #numbers = int32s(1024);
  /** -1 for a row without a step. */
  #steps = float64s(1024);
  #times = float64s(1024);
  /** Row k's values are from `starts[k]` to `starts[k + 1]` of `slots` and `values`. */
  #starts = int32s(1025);
  /** The next staged row of the same run, or -1. */
  #next = int32s(1024);
  #valueCount = 0;
  #slots = int32s(16_384);
  #values = float64s(16_384);
  /** How many runs have staged rows (each numbered, in the order they came, by its `staged` field). */
  #stagedRuns = 0;
  /** Per run with staged rows: its first and last staged row. */
  #firsts = int32s(1024);
  #lasts = int32s(1024);
  /** The row `event()` answers for, and its event once asked. */
  #current = -1;
  #event: AcceptedEvent | undefined;

  constructor(
    metrics: MetricHandler,
    deferral: Deferral,
    out: Firing[],
    fault: (accepted: AcceptedEvent, error: unknown) => void,
  ) {
    this.#metrics = metrics;
    this.#deferral = deferral;
    this.#out = out;
    this.#fault = fault;
  }

  get size(): number {
    return this.#count;
  }

  /** For `MetricHandler.stage`: a row about to change `run` first applies what is staged, when `run` has rows staged. */
  readonly settle = (run: Run): void => {
    if (run.staged >= 0) this.flush();
  };

  /** Stage row `accepted` of `run` (event `number` of its batch, which `eventOf` gives again when needed). */
  add(accepted: MetricsRow, run: Run, number: number, eventOf: (number: number) => AcceptedEvent): void {
    this.#eventOf = eventOf;
    const k = this.#count;
    if (k === this.#numbers.length) this.#growRows();
    this.#runs[k] = run;
    this.#numbers[k] = number;
    this.#steps[k] = accepted.data.step ?? -1;
    this.#times[k] = accepted.time;
    this.#next[k] = -1;
    this.#starts[k] = this.#valueCount;
    this.#count = k + 1;
    try {
      this.#metrics.stageValues(accepted, run, this);
    } finally {
      this.#starts[k + 1] = this.#valueCount;
    }
    const r = run.staged;
    if (r < 0) {
      const n = this.#stagedRuns++;
      if (n === this.#firsts.length) {
        this.#firsts = grown(this.#firsts, n * 2);
        this.#lasts = grown(this.#lasts, n * 2);
      }
      run.staged = n;
      this.#firsts[n] = k;
      this.#lasts[n] = k;
    } else {
      this.#next[this.#lasts[r] as number] = k;
      this.#lasts[r] = k;
    }
  }

  /**
   * Before a sweep on event time `now`: apply the staged rows if the sweep may release one of their runs
   * (`mayRelease`), which must see its rows applied first. Otherwise they stay staged, and a batch's segment
   * keeps each run's rows together however often it sweeps.
   */
  settleBefore(now: number, retention: Required<Retention>): void {
    for (let r = 0; r < this.#stagedRuns; r++) {
      if (!mayRelease(this.#runs[this.#firsts[r] as number] as Run, now, retention)) continue;
      this.flush();
      return;
    }
  }

  /** Each value is copied as it is staged, and nothing runs between: no copy of the row's. */
  own(values: Float64Array): Float64Array {
    return values;
  }

  value(slot: number, values: Float64Array, k: number): void {
    const v = this.#valueCount;
    if (v === this.#slots.length) {
      this.#slots = grown(this.#slots, v * 2);
      this.#values = grown(this.#values, v * 2);
    }
    this.#slots[v] = slot;
    this.#values[v] = values[k] as number;
    this.#valueCount = v + 1;
  }

  time(): number {
    return this.#times[this.#current] as number;
  }

  event(): AcceptedEvent {
    if (this.#event === undefined) this.#event = this.#eventOf(this.#numbers[this.#current] as number);
    return this.#event;
  }

  /** Apply every staged row's second half; each row's firings wait in the deferral, under its event number. */
  flush(): void {
    const count = this.#count;
    if (count === 0) return;
    const deferral = this.#deferral;
    const current = deferral.row;
    const out = this.#out;
    const runs = this.#stagedRuns;
    // Unmarked first: a run released by a sweep between two batches must not look staged.
    for (let r = 0; r < runs; r++) (this.#runs[this.#firsts[r] as number] as Run).staged = -1;
    this.#stagedRuns = 0;
    for (let r = 0; r < runs; r++)
      for (let k = this.#firsts[r] as number; k >= 0; k = this.#next[k] as number) {
        const step = this.#steps[k] as number;
        this.#current = k;
        this.#event = undefined;
        deferral.row = this.#numbers[k] as number;
        try {
          // Two reads, not `[from, to] = [...]`: V8 kept that array and its iterator, two objects per row.
          this.#metrics.applyValues(
            this.#runs[k] as Run,
            step < 0 ? undefined : step,
            this.#slots,
            this.#values,
            this.#starts[k] as number,
            this.#starts[k + 1] as number,
            this,
            out,
          );
        } catch (error) {
          this.#fault(this.event(), error);
        }
        if (out.length === 0) continue;
        deferral.fired(out.slice());
        out.length = 0;
      }
    deferral.row = current;
    this.#runs.fill(undefined, 0, count);
    this.#count = 0;
    this.#valueCount = 0;
    this.#current = -1;
    this.#event = undefined;
  }

  /** Give back what a large batch made the arrays grow to (a batch's worth of values is megabytes). */
  release(): void {
    if (this.#count > 0) this.flush();
    this.#runs.length = 0;
    // Arrays of their first size are kept: making them again for every batch would cost more than they hold.
    if (this.#numbers.length === 1024 && this.#slots.length === 16_384 && this.#firsts.length === 1024)
      return;
    this.#numbers = int32s(1024);
    this.#steps = float64s(1024);
    this.#times = float64s(1024);
    this.#starts = int32s(1025);
    this.#next = int32s(1024);
    this.#slots = int32s(16_384);
    this.#values = float64s(16_384);
    this.#firsts = int32s(1024);
    this.#lasts = int32s(1024);
  }

  #growRows(): void {
    const n = this.#numbers.length * 2;
    this.#numbers = grown(this.#numbers, n);
    this.#steps = grown(this.#steps, n);
    this.#times = grown(this.#times, n);
    this.#next = grown(this.#next, n);
    this.#starts = grown(this.#starts, n + 1);
  }
}

function missing(): never {
  throw new Error('a staged row has no batch to read its event from');
}

/** A longer copy, off-heap as the first (see off-heap.ts: a grown batch must not start a full collection). */
function grown<T extends Int32Array | Float64Array>(a: T, length: number): T {
  const b = (a instanceof Int32Array ? int32s(length) : float64s(length)) as T;
  b.set(a);
  return b;
}
