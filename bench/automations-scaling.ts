import { measurePasses, type PreparedVariant, type Row, rateRow, targetRow, valueRow } from './measure.js';
import { coverage, engineWith, type MetricAutomation, metricAutomations, metricStream } from './workload.js';

const PROJECTS = 100;
const METRICS = 20;
const COUNTS = [10, 100, 1_000, 10_000];
const TARGET_SLOWDOWN = 2;

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * The firehose stream (a fifth of BENCH_VALUES, default 2·10^6 values, 50 rows a run) through `ingestBatch`
 * with 10 to 10,000 automations. Automation i watches project i mod 100 and metric ⌊i / 100⌋ mod 20, so they
 * cover the stream's 2,000 (project, metric) pairs before doubling up: at 10,000 every value matches 5, never
 * more than 10. A last variant keeps 100 on the stream and puts 9,900 on projects the stream never names: what
 * the extra automations cost when they match nothing.
 */
export async function automationsScalingScenario(): Promise<Row[]> {
  const values = Math.round(Number(process.env['BENCH_VALUES'] ?? 10_000_000) / 5);
  const stream = metricStream({
    rows: Math.round(values / METRICS),
    projects: PROJECTS,
    metrics: METRICS,
    seed: 3,
  });
  const scenario = `automations-scaling (${fmt(stream.values)} values, ${fmt(stream.runs)} runs, ingestBatch)`;
  const sets: { name: string; automations: MetricAutomation[] }[] = COUNTS.map((count) => {
    const automations = metricAutomations({ count, projects: PROJECTS, metrics: METRICS, seed: 4 });
    const c = coverage(stream, automations);
    return {
      name: `${fmt(count)} automations (watching a value: ${c.matchesPerValue.toFixed(3)} on average, at most ${c.maxMatches})`,
      automations,
    };
  });
  // 10,000 projects: automations 0–99 watch metric m0 of the stream's projects, the other 9,900 other projects.
  const elsewhere = metricAutomations({ count: 10_000, projects: 10_000, metrics: METRICS, seed: 4 });
  sets.push({
    name: '10,000 automations, 9,900 of them on projects outside the stream (as 100 above)',
    automations: elsewhere,
  });

  // Warm-up on a slice, with 1,000 automations: the same paths, without building 10,000 twice more.
  engineWith(sets[2]?.automations ?? []).ingestBatch(stream.events.slice(0, 20_000));
  const variants: PreparedVariant[] = sets.map((s) => ({
    name: s.name,
    prepare() {
      const engine = engineWith(s.automations);
      return () => void engine.ingestBatch(stream.events);
    },
  }));
  const timings = await measurePasses(variants, { rounds: 3, budgetMs: 25_000 });
  const rows = sets.map((s) =>
    rateRow(
      scenario,
      `${s.name} (per value)`,
      timings.get(s.name)?.ns ?? Number.NaN,
      stream.values,
      timings.get(s.name)?.note,
    ),
  );
  const first = timings.get(sets[0]?.name as string)?.ns ?? Number.NaN;
  const last = timings.get(sets[COUNTS.length - 1]?.name as string)?.ns ?? Number.NaN;
  const hundred = timings.get(sets[1]?.name as string)?.ns ?? Number.NaN;
  const outside = timings.get(sets[COUNTS.length]?.name as string)?.ns ?? Number.NaN;
  rows.push(
    valueRow(
      scenario,
      '100 → 10,000 automations when the 9,900 match nothing: slowdown',
      outside / hundred,
      '×',
    ),
    targetRow(
      scenario,
      `10 → 10,000 automations at most ${TARGET_SLOWDOWN}× slower`,
      last / first,
      '×',
      last / first <= TARGET_SLOWDOWN,
    ),
  );
  return rows;
}
