// A probe is the number a reader compares with its threshold, derived from the value and the series' windows:
// readers of one series that derive the same number share one probe, computed once per value.

/** Probe codes: the value itself, a window's mean, sum or extreme, a change (absolute or relative), a z-score. */
export const VALUE = 0;
export const MEAN = 1;
export const SUM = 2;
export const EXTREME = 3;
export const CHANGE = 4;
export const RELATIVE_CHANGE = 5;
export const ZSCORE = 6;

/** Comparison codes, as `compare` numbers them: the op of a test is one of these. */
export const GT = 0;
export const GE = 1;
export const LT = 2;
export const LE = 3;
export const EQ = 4;
export const NE = 5;

export interface ProbeSpec {
  readonly code: number;
  /** How a change aggregates each of its windows: MEAN, SUM or EXTREME. */
  readonly agg: number;
  /** The window (mean, sum, z-score) or a change's current window. */
  readonly size: number;
  /** A change's prior window; 0 otherwise. */
  readonly prior: number;
  /** Compare |x| rather than x. */
  readonly abs: boolean;
}

/** What a reader tests: `probe op threshold`. The probe reads the reader's first two aggregates, in order. */
export interface ProbeTest {
  readonly probe: ProbeSpec;
  readonly op: number;
  readonly threshold: number;
}

/** Fields of a probe in SeriesLayout `probes`, `PROBE_WIDTH` numbers each. */
export const P_CODE = 0;
export const P_AGG = 1;
export const P_SIZE = 2;
export const P_PRIOR = 3;
export const P_ABS = 4;
export const P_A = 5;
export const P_B = 6;
export const PROBE_WIDTH = 7;
