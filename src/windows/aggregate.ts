/** What a filter reads: an aggregate over the `size` values that end `lag` values before the newest. */
export type AggregateKind = 'sum' | 'min' | 'max' | 'moments';
export interface AggregateSpec {
  readonly kind: AggregateKind;
  readonly size: number;
  readonly lag: number;
}

export function specKey(spec: AggregateSpec): string {
  return `${spec.kind}:${spec.size}:${spec.lag}`;
}

/** The ring must still hold the value that leaves the window when a new one enters. */
export function capacityFor(spec: AggregateSpec): number {
  return spec.size + spec.lag + 1;
}
