import type { Automation, EngineStats, Firing } from '../../index.js';
import { noCounts } from '../replay-tally.js';
import type { AutomationTally, Deliveries, Problem, ReplayCounts, ReplayResult } from '../replay-types.js';
import { RunCounter } from '../run-counter.js';
import type { ShardResult } from './replay-shard.js';

type Done = Extract<ShardResult, { done: true }>;

/** What the shares of a replay add up to: the result one engine with as many partitions gives. */
export type MergedShards = Omit<ReplayResult, 'source' | 'readError'>;

/**
 * Merge the shares of a replay, each one partition's events in line order: counts and figures add up, problems
 * and firings go back into line order (a line belongs to one share), and each automation's runs into the order
 * of their first firing.
 */
export function mergeShards(
  shares: readonly Done[],
  automations: readonly Automation[],
  limits: { readonly problems: number; readonly firings: number },
): MergedShards {
  const counts = sumCounts(shares.map((s) => s.counts));
  const problems = byLine(shares.map((s) => s.problems.map((p) => [p.line, p] as const))).slice(
    0,
    limits.problems,
  ) as Problem[];
  const firings = byLine(
    shares.map((s) => s.firings.map((f, i) => [s.firingLines[i] ?? 0, f] as const)),
  ).slice(0, limits.firings) as Firing[];
  const runs = new RunCounter();
  for (const s of shares) runs.merge(s.runs);
  return {
    automations,
    firings,
    fired: shares.reduce((n, s) => n + s.fired, 0),
    tallies: mergeTallies(shares, automations),
    stats: mergeStats(shares.map((s) => s.stats)),
    counts,
    runs: runs.result,
    problems,
    ...timeSpan(shares),
    deliveries: mergeDeliveries(shares.map((s) => s.deliveries)),
  };
}

/** Items of each share (each in line order) in line order; a line's items all come from one share. */
export function byLine<T>(lists: readonly (readonly (readonly [number, T])[])[]): T[] {
  return lists
    .flat()
    .map((entry, i) => [entry, i] as const)
    .sort(([a, i], [b, j]) => a[0] - b[0] || i - j)
    .map(([entry]) => entry[1]);
}

/** The earliest `first` and the latest `last` of the parts, each left out when no part has one. */
function timeSpan(parts: readonly { readonly first?: number; readonly last?: number }[]): {
  first?: number;
  last?: number;
} {
  const firsts = parts.flatMap((p) => p.first ?? []);
  const lasts = parts.flatMap((p) => p.last ?? []);
  return {
    ...(firsts.length > 0 && { first: Math.min(...firsts) }),
    ...(lasts.length > 0 && { last: Math.max(...lasts) }),
  };
}

function sumCounts(all: readonly ReplayCounts[]): ReplayCounts {
  const sum = noCounts();
  for (const c of all) for (const key of Object.keys(sum) as (keyof ReplayCounts)[]) sum[key] += c[key];
  return sum;
}

function mergeTallies(
  shares: readonly Done[],
  automations: readonly Automation[],
): Map<string, AutomationTally> {
  const byShare = shares.map((s) => new Map(s.tallies));
  const tallies = new Map<string, AutomationTally>();
  for (const a of automations) {
    const parts = byShare.flatMap((m) => m.get(a.id) ?? []);
    const runs = byLine(
      parts.map((t) => t.runs.map(([key, name, line]) => [line, [key, name] as const] as const)),
    );
    tallies.set(a.id, { ...timeSpan(parts), runs: new Map(runs) });
  }
  return tallies;
}

/** The engine figures of all partitions: sums, but for the automations, which every share has. */
function mergeStats(all: readonly EngineStats[]): EngineStats {
  const one = all[0] as EngineStats;
  const sum = (pick: (s: EngineStats) => number): number => all.reduce((n, s) => n + pick(s), 0);
  const byAutomation: Record<string, { firings: number; suppressed: number }> = {};
  for (const s of all)
    for (const [id, c] of Object.entries(s.byAutomation)) {
      const to = byAutomation[id] ?? { firings: 0, suppressed: 0 };
      to.firings += c.firings;
      to.suppressed += c.suppressed;
      byAutomation[id] = to;
    }
  return {
    received: sum((s) => s.received),
    accepted: sum((s) => s.accepted),
    rejected: sum((s) => s.rejected),
    duplicates: sum((s) => s.duplicates),
    stale: sum((s) => s.stale),
    firings: sum((s) => s.firings),
    suppressed: sum((s) => s.suppressed),
    evictions: sum((s) => s.evictions),
    runs: sum((s) => s.runs),
    collections: sum((s) => s.collections),
    series: sum((s) => s.series),
    automations: one.automations,
    enabled: one.enabled,
    deliveriesInFlight: sum((s) => s.deliveriesInFlight),
    bytesEstimate: sum((s) => s.bytesEstimate),
    byAutomation,
  };
}

function mergeDeliveries(all: readonly Deliveries[]): Deliveries {
  const byIntegration: Record<string, number> = {};
  for (const d of all)
    if (d.mode === 'recorded')
      for (const [name, n] of Object.entries(d.byIntegration))
        byIntegration[name] = (byIntegration[name] ?? 0) + n;
  return { mode: 'recorded', byIntegration };
}
