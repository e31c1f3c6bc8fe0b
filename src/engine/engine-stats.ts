import type { Partitions } from '../core/partitions.js';
import type { Automation } from '../schema/automation.js';
import type { Counters } from '../state/counters.js';

export type EngineStats = Counters & {
  readonly runs: number;
  readonly collections: number;
  readonly series: number;
  readonly automations: number;
  readonly enabled: number;
  readonly deliveriesInFlight: number;
  /** A rough count of the bytes the engine's state holds (windows exactly, objects by estimate). */
  readonly bytesEstimate: number;
  /** Firings and cooldown-suppressed matches per automation id. */
  readonly byAutomation: Readonly<Record<string, { readonly firings: number; readonly suppressed: number }>>;
};

/** The engine's counters and sizes, over every partition: O(automations + partitions), never O(runs). */
export function engineStats(
  core: Partitions,
  automations: readonly Automation[],
  deliveriesInFlight: number,
): EngineStats {
  const counters = core.counters;
  return {
    ...counters,
    runs: core.total((p) => p.runCount),
    collections: core.total((p) => p.collectionCount),
    series: core.total((p) => p.seriesCount),
    automations: automations.length,
    enabled: automations.filter((a) => a.enabled).length,
    deliveriesInFlight,
    evictions: counters.evictions + core.total((p) => p.collectionEvictions),
    bytesEstimate: core.total((p) => p.bytesEstimate),
    byAutomation: Object.fromEntries([...core.perAutomation].map(([id, c]) => [id, { ...c }])),
  };
}
