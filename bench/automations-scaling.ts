import { fleetEngine } from './fleet.js';
import { type FleetAutomation, fleetAutomations } from './fleet-automations.js';
import { watchersPerValue } from './fleet-bare.js';
import { fleetStream } from './fleet-workload.js';
import { measurePasses, type PreparedVariant, type Row, rateRow, targetRow, valueRow } from './measure.js';

const COUNTS = [10, 100, 1_000, 10_000];
const TARGET_PER_WATCHER_NS = 50;
const TARGET_SLOWDOWN = 4;

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * The fleet stream (fleet-workload.ts; 600 runs) through `ingestBatch` with 10 to 10,000 fleet automations
 * (no run filters, so every automation whose scope and metric cover a value watches it). Automations share specs
 * as fleets do: ten alert families on a few metrics, differing in threshold and scope, so at 10,000 a value has
 * dozens of watchers over a handful of distinct windows. A last variant keeps 100 on the stream and puts 9,900 on
 * entities the stream never names: what the extra automations cost when they match nothing.
 */
export async function automationsScalingScenario(): Promise<Row[]> {
  const stream = fleetStream({ runs: 600, live: 200, meanRows: 40, seed: 21 });
  const scenario = `automations-scaling (fleet stream: ${fmt(stream.values)} values, ${fmt(stream.runs)} runs, ingestBatch)`;
  const sets: { name: string; automations: FleetAutomation[]; watching: number }[] = COUNTS.map((count) => {
    const automations = fleetAutomations({ count, seed: 22, patterns: false });
    const watching = watchersPerValue(stream, automations);
    return {
      name: `${fmt(count)} automations (watching a value: ${watching.toFixed(2)} on average)`,
      automations,
      watching,
    };
  });
  const hundred = sets[1]?.automations ?? [];
  const elsewhere = [
    ...hundred,
    ...fleetAutomations({ count: 9_900, seed: 23, patterns: false, elsewhere: true, prefix: 'elsewhere' }),
  ];
  sets.push({
    name: '10,000 automations, 9,900 of them on entities outside the stream (as 100 above)',
    automations: elsewhere,
    watching: watchersPerValue(stream, elsewhere),
  });

  // Warm-up on a slice, with 1,000 automations: the same paths, without building 10,000 twice more.
  fleetEngine(sets[2]?.automations ?? []).ingestBatch(stream.events.slice(0, 20_000));
  const variants: PreparedVariant[] = sets.map((s) => ({
    name: s.name,
    prepare() {
      const engine = fleetEngine(s.automations);
      return () => void engine.ingestBatch(stream.events);
    },
  }));
  const timings = await measurePasses(variants, { rounds: 3, budgetMs: 40_000 });
  const ns = (i: number): number => timings.get(sets[i]?.name as string)?.ns ?? Number.NaN;
  const rows = sets.map((s, i) =>
    rateRow(scenario, `${s.name} (per value)`, ns(i), stream.values, timings.get(s.name)?.note),
  );
  const last = COUNTS.length - 1;
  const perValue = (i: number): number => ns(i) / stream.values;
  const extra = (sets[last]?.watching ?? 0) - (sets[0]?.watching ?? 0);
  const perWatcher = (perValue(last) - perValue(0)) / extra;
  for (let i = 1; i <= last; i++) {
    const more = (sets[i]?.watching ?? 0) - (sets[0]?.watching ?? 0);
    rows.push(
      valueRow(
        scenario,
        `ns per additional watching automation, 10 → ${fmt(COUNTS[i] as number)}`,
        (perValue(i) - perValue(0)) / more,
        'ns',
      ),
    );
  }
  rows.push(
    valueRow(
      scenario,
      '100 → 10,000 automations when the 9,900 match nothing: slowdown',
      ns(COUNTS.length) / ns(1),
      '×',
    ),
    targetRow(
      scenario,
      `at most ${TARGET_PER_WATCHER_NS} ns per additional watching automation (10 → 10,000)`,
      perWatcher,
      'ns',
      perWatcher <= TARGET_PER_WATCHER_NS,
    ),
    targetRow(
      scenario,
      `10 → 10,000 automations at most ${TARGET_SLOWDOWN}× slower`,
      ns(last) / ns(0),
      '×',
      ns(last) / ns(0) <= TARGET_SLOWDOWN,
    ),
  );
  return rows;
}
