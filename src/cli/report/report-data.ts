import type { ReplayResult } from '../replay-types.js';
import type { SeriesData } from './series.js';

/** A firing of a run that no chart shows (a run state change): listed in the run's card. */
export type ListedFiring = {
  /** Event time, epoch ms. */
  readonly time: number;
  /** The automation's index. */
  readonly automation: number;
  /** What fired it, in words: `running → failed`. */
  readonly why: string;
};

/** One run as the report shows it: a summary line, and a chart per watched metric, drawn when opened. */
export type RunData = {
  readonly key: string;
  /** Its latest name, else its id. */
  readonly name: string;
  readonly runId: string;
  readonly entity: string;
  readonly project: string;
  readonly user?: string;
  /** The last state it was seen in. */
  readonly state?: string;
  readonly events: number;
  readonly firings: number;
  readonly suppressed: number;
  /** Event time of its first and last event (NaN when none had a time). */
  readonly first: number;
  readonly last: number;
  readonly series: readonly SeriesData[];
  readonly listed: readonly ListedFiring[];
  /** Its firings past MAX_LISTED_FIRINGS, counted only. */
  readonly notListed: number;
};

/** What the HTML report is made from: the replay's result and the runs' charts. */
export type ReportData = {
  readonly result: ReplayResult;
  readonly runs: readonly RunData[];
};
