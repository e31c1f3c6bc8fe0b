/** Why a run metric trigger fired: the values and numbers that made it true. */
export type Evidence = {
  readonly metric: string;
  /** The value just logged. */
  readonly value: number;
  /** The window's values, oldest first (for z-score: the baseline before `value`). */
  readonly values: readonly number[];
  /** agg(values); for z-score the baseline mean; for no agg the value itself. */
  readonly aggregate: number;
  readonly agg?: string;
  readonly cmp?: string;
  readonly threshold?: number;
  readonly prior?: { readonly values: readonly number[]; readonly aggregate: number };
  /** a − b (absolute) or (a − b) / |b| (relative). */
  readonly change?: number;
  readonly changeType?: string;
  readonly direction?: string;
  readonly amount?: number;
  readonly zscore?: number;
};
