import type { Clock } from '../clock/clock.js';

/** Files at least this big get a progress bar (when stderr is a terminal). */
export const PROGRESS_MIN_BYTES = 4 * 1024 * 1024;
const REDRAW_MS = 100;

/** Where the bar is drawn: stderr, or a fake in tests. */
export interface ProgressTarget {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export type ProgressState = {
  /** Bytes of the file read, of `total`: compressed bytes for a `.gz` file. */
  readonly bytes: number;
  readonly total: number;
  readonly events: number;
  readonly elapsedMs: number;
  /** For a `.gz` file: the bytes of event text unpacked so far (its total is not known in advance). */
  readonly unpacked?: number;
};

const MB = 1024 * 1024;

const mb = (bytes: number): string => (bytes / MB).toFixed(1);

/**
 * `[#####·····]  45%  12.3/27.4 MB  5.1 MB/s  42,100 events/s`, fitted to `columns`. For a `.gz` file the percent
 * is of the compressed file, and the MB are of event text: `45%  120.3 MB unpacked (12.3/27.4 MB gz)  50.1 MB/s`.
 */
export function renderProgress(s: ProgressState, columns = 80): string {
  const fraction = s.total > 0 ? Math.min(1, s.bytes / s.total) : 0;
  const seconds = Math.max(s.elapsedMs, 1) / 1000;
  const text = s.unpacked ?? s.bytes;
  const figures = [
    `${String(Math.floor(fraction * 100)).padStart(3)}%`,
    s.unpacked === undefined
      ? `${mb(s.bytes)}/${mb(s.total)} MB`
      : `${mb(s.unpacked)} MB unpacked (${mb(s.bytes)}/${mb(s.total)} MB gz)`,
    `${mb(text / seconds)} MB/s`,
    `${Math.round(s.events / seconds).toLocaleString('en-US')} events/s`,
  ].join('  ');
  const width = Math.max(10, Math.min(40, columns - figures.length - 5));
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'·'.repeat(width - filled)}]  ${figures}`;
}

/**
 * A one-line progress bar on stderr for big files, redrawn at most every 100 ms. It draws nothing when the
 * target is not a terminal or the file is small, and it steps aside (`clear`) for messages.
 */
export class Progress {
  readonly #target: ProgressTarget;
  readonly #clock: Clock;
  readonly #total: number;
  readonly #gzip: boolean;
  readonly #enabled: boolean;
  readonly #start: number;
  #last = Number.NEGATIVE_INFINITY;
  #shown = false;
  #state: ProgressState;

  /** `gzip`: `totalBytes` is the compressed size, and `update` is given the unpacked bytes too. */
  constructor(target: ProgressTarget, clock: Clock, totalBytes: number | undefined, gzip = false) {
    this.#target = target;
    this.#clock = clock;
    this.#total = totalBytes ?? 0;
    this.#gzip = gzip;
    this.#enabled = target.isTTY === true && this.#total >= PROGRESS_MIN_BYTES;
    this.#start = clock.now();
    this.#state = { bytes: 0, total: this.#total, events: 0, elapsedMs: 0 };
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** `bytes` of the file read (compressed, for gzip), `events` read, and the `unpacked` bytes of a gzip file. */
  update(bytes: number, events: number, unpacked = bytes): void {
    if (!this.#enabled) return;
    const now = this.#clock.now();
    this.#state = {
      bytes,
      total: this.#total,
      events,
      elapsedMs: now - this.#start,
      ...(this.#gzip && { unpacked }),
    };
    if (now - this.#last < REDRAW_MS) return;
    this.#last = now;
    this.#draw();
  }

  /** Erase the bar, e.g. before printing a message; the next update draws it again. */
  clear(): void {
    if (!this.#shown) return;
    this.#target.write('\r\x1b[2K');
    this.#shown = false;
  }

  /** Erase the bar for good. */
  finish(): void {
    this.clear();
  }

  #draw(): void {
    this.#target.write(`\r\x1b[2K${renderProgress(this.#state, this.#target.columns || 80)}`);
    this.#shown = true;
  }
}
