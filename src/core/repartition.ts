import { newCounters } from '../state/counters.js';
import type { PartitionState } from '../state/partition-state.js';
import { collectionKey, fnv1a, runKey } from './partition-key.js';

/**
 * Saved partitions laid out for `n` partitions. The same layout is taken as it is; any other is re-partitioned
 * by key: each run and collection goes to its key's partition, every partition gets all the seen ids (an id seen
 * anywhere stays a duplicate everywhere), the counters add up in partition 0, and each partition's sweep clock
 * starts at the latest watermark with no event since its last sweep. Log offsets mean nothing after that: dropped.
 */
export function repartition(states: readonly PartitionState[], n: number): readonly PartitionState[] {
  if (states.length === n && states.every((s, i) => s.partition === i && s.of === n)) return states;
  let watermark = Number.NEGATIVE_INFINITY;
  let revision = 0;
  for (const s of states) {
    if (s.watermark !== undefined && s.watermark > watermark) watermark = s.watermark;
    if (s.revision > revision) revision = s.revision;
  }
  const seen = mergedSeen(states);
  const out: PartitionState[] = Array.from({ length: n }, (_, partition) => ({
    partition,
    of: n,
    revision,
    ...(Number.isFinite(watermark) && { watermark }),
    sinceSweep: 0,
    runs: [],
    collections: [],
    seen,
    counters: newCounters(),
    perAutomation: [],
  }));
  const first = out[0] as PartitionState;
  const perAutomation = new Map<string, { firings: number; suppressed: number }>();
  for (const s of states) {
    for (const run of s.runs) at(out, runKey(run.entity, run.project, run.runId)).runs.push(run);
    for (const c of s.collections) at(out, collectionKey(c.place)).collections.push(c);
    for (const key of Object.keys(first.counters) as (keyof PartitionState['counters'])[])
      first.counters[key] += s.counters[key];
    for (const [id, c] of s.perAutomation) {
      const sum = perAutomation.get(id) ?? { firings: 0, suppressed: 0 };
      sum.firings += c.firings;
      sum.suppressed += c.suppressed;
      perAutomation.set(id, sum);
    }
  }
  first.perAutomation = [...perAutomation];
  const counts = states.flatMap((s) => s.counts ?? []);
  if (counts.length > 0) first.counts = counts;
  const schedules = states.flatMap((s) => s.schedules ?? []);
  if (schedules.length > 0) first.schedules = schedules;
  for (const s of states)
    for (const p of s.periods ?? []) {
      const into = at(out, runKey(p.entity, p.project, p.runId));
      if (into.periods === undefined) into.periods = [];
      into.periods.push(p);
    }
  return out;
}

function at(out: readonly PartitionState[], key: string): PartitionState {
  return out[fnv1a(key) % out.length] as PartitionState;
}

/** Every partition's seen ids, oldest first, each once. */
function mergedSeen(states: readonly PartitionState[]): [string, number][] {
  if (states.length === 1) return (states[0] as PartitionState).seen;
  const latest = new Map<string, number>();
  for (const s of states)
    for (const [key, time] of s.seen)
      if (!(time <= (latest.get(key) ?? Number.NEGATIVE_INFINITY))) latest.set(key, time);
  return [...latest].sort((a, b) => a[1] - b[1]);
}
