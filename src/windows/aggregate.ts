import type { ValueRing } from './value-ring.js';

/** What a filter reads: an aggregate over the `size` values that end `lag` values before the newest. */
export type AggregateKind = 'sum' | 'min' | 'max' | 'moments';
export interface AggregateSpec {
  readonly kind: AggregateKind;
  readonly size: number;
  readonly lag: number;
}

/**
 * A trailing aggregate updated in O(1) amortised per value. It counts only values from index `start` on,
 * the values pushed since it was created; older ones are treated as absent.
 */
export interface Aggregate {
  readonly spec: AggregateSpec;
  /** Called after the ring stored the value at index `ring.count - 1`. */
  push(ring: ValueRing): void;
  /** Everything needed to continue exactly, floating-point state included. */
  save(): AggregateState;
}

/** An aggregate's saved state: its spec, where it started, and its running numbers. */
export type AggregateState = AggregateSpec & { readonly start: number; readonly numbers: readonly number[] };

export function specKey(spec: AggregateSpec): string {
  return `${spec.kind}:${spec.size}:${spec.lag}`;
}

/** The ring must still hold the value that leaves the window when a new one enters. */
export function capacityFor(spec: AggregateSpec): number {
  return spec.size + spec.lag + 1;
}
