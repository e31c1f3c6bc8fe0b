import type { MetricFilter } from '../../index.js';
import { historyOf, type OverlayPoint, overlayPoint, RecentValues } from './overlay.js';

/** At most this many points per chart: beyond it every other point is dropped, so memory stays bounded per run. */
export const MAX_POINTS = 400;
/** At most this many bands of suppressed matches per chart (all matches are counted); firings are always kept. */
export const MAX_BANDS = 400;

/** Six significant digits are plenty for a chart, and keep the report small. */
export const round = (x: number): number | null => (Number.isFinite(x) ? Number(x.toPrecision(6)) : null);

/** An automation drawn on a chart: its index in the report's automation list, and its filter. */
export type Overlay = { readonly index: number; readonly filter: MetricFilter };

export type OverlayData = {
  /** The automation's index. */
  readonly a: number;
  readonly agg: (number | null)[];
  readonly lo?: (number | null)[];
  readonly hi?: (number | null)[];
  /** A threshold filter's constant threshold. */
  readonly th?: number;
};

/** A firing: `[x, value, automation index, event time, aggregate]`. */
export type Mark = readonly [number, number | null, number, number, number | null];

/**
 * Matches of one automation the cooldown suppressed at consecutive values of the series, drawn as one band:
 * `[first x, last x, automation index, matches, first event time, last event time]`.
 */
export type Band = [number, number, number, number, number, number];

export type SeriesData = {
  readonly metric: string;
  readonly x: number[];
  readonly y: (number | null)[];
  readonly overlays: OverlayData[];
  readonly marks: Mark[];
  readonly bands: Band[];
  /** Values logged, and how many of them each drawn point stands for. */
  readonly count: number;
  readonly stride: number;
  /** Suppressed matches in no band, past MAX_BANDS. */
  readonly hiddenSuppressed: number;
};

type Lines = { agg: (number | null)[]; lo: (number | null)[]; hi: (number | null)[] };

/** One run's values of one metric, with the overlays of the automations watching it, in bounded memory. */
export class SeriesCollector {
  readonly metric: string;
  readonly overlays: readonly Overlay[];
  lastStep = Number.NEGATIVE_INFINITY;
  lastX = -1;
  /** The x of the value before the latest: a band goes on only from there. */
  #previousX = Number.NaN;
  readonly #recent: RecentValues;
  #count = 0;
  #stride = 1;
  #lastRecorded = false;
  #lastY: number | null = null;
  #x: number[] = [];
  #y: (number | null)[] = [];
  #lines: Lines[];
  readonly #marks: Mark[] = [];
  readonly #bands: Band[] = [];
  /** Each automation's latest band. */
  readonly #lastBand = new Map<number, Band>();
  #hiddenSuppressed = 0;

  constructor(metric: string, overlays: readonly Overlay[]) {
    this.metric = metric;
    this.overlays = overlays;
    this.#recent = new RecentValues(Math.max(1, ...overlays.map((o) => historyOf(o.filter))));
    this.#lines = overlays.map(() => ({ agg: [], lo: [], hi: [] }));
  }

  /** A value logged at `x` (its step, or its position when rows have no step). */
  push(x: number, value: number): void {
    if (Number.isFinite(value)) this.#recent.push(value);
    this.#previousX = this.lastX;
    this.lastX = x;
    this.#lastY = round(value);
    this.#lastRecorded = this.#count % this.#stride === 0;
    if (this.#lastRecorded) this.#record();
    this.#count += 1;
  }

  /** The automation fired at the latest value. */
  fired(automation: number, time: number, value: number, aggregate: number | undefined): void {
    this.#marks.push([
      this.lastX,
      round(value),
      automation,
      time,
      aggregate === undefined ? null : round(aggregate),
    ]);
  }

  /** The cooldown suppressed a match at the latest value: it joins the band that ends at the value before. */
  suppressed(automation: number, time: number): void {
    const band = this.#lastBand.get(automation);
    if (band !== undefined && band[1] === this.#previousX) {
      band[1] = this.lastX;
      band[3] += 1;
      band[5] = time;
      return;
    }
    if (this.#bands.length >= MAX_BANDS) {
      this.#hiddenSuppressed += 1;
      return;
    }
    const next: Band = [this.lastX, this.lastX, automation, 1, time, time];
    this.#bands.push(next);
    this.#lastBand.set(automation, next);
  }

  build(): SeriesData {
    // The latest value is always drawn, even when the stride skipped it; the windows still hold its state.
    if (!this.#lastRecorded && this.#count > 0) {
      this.#record(false);
      this.#lastRecorded = true;
    }
    return {
      metric: this.metric,
      x: this.#x,
      y: this.#y,
      overlays: this.overlays.map((o, i) => {
        const lines = this.#lines[i] as Lines;
        const f = o.filter;
        return {
          a: o.index,
          agg: lines.agg,
          ...(lines.lo.some((v) => v !== null) && { lo: lines.lo }),
          ...(lines.hi.some((v) => v !== null) && { hi: lines.hi }),
          ...(f.type === 'MetricThresholdFilter' && { th: f.threshold }),
        };
      }),
      marks: this.#marks,
      bands: this.#bands,
      count: this.#count,
      stride: this.#stride,
      hiddenSuppressed: this.#hiddenSuppressed,
    };
  }

  #record(mayHalve = true): void {
    this.#x.push(this.lastX);
    this.#y.push(this.#lastY);
    this.overlays.forEach((o, i) => {
      const p: OverlayPoint = overlayPoint(o.filter, this.#recent);
      const lines = this.#lines[i] as Lines;
      lines.agg.push(p.agg === null ? null : round(p.agg));
      lines.lo.push(p.lo === null ? null : round(p.lo));
      lines.hi.push(p.hi === null ? null : round(p.hi));
    });
    if (mayHalve && this.#x.length >= MAX_POINTS) this.#halve();
  }

  #halve(): void {
    const even = <T>(a: T[]): T[] => a.filter((_, i) => i % 2 === 0);
    this.#x = even(this.#x);
    this.#y = even(this.#y);
    this.#lines = this.#lines.map((l) => ({ agg: even(l.agg), lo: even(l.lo), hi: even(l.hi) }));
    this.#stride *= 2;
    // An even count of points loses its last one, the latest value: build() draws it again.
    this.#lastRecorded = false;
  }
}
