import { type RuleProperties, Engine as RulesEngine } from 'json-rules-engine';
import { createEngine, DoNothing, MetricThresholdFilter, OnRunMetric } from '../src/index.js';
import { VirtualClock } from '../src/testing/index.js';
import { measurePasses, type Row, rateRow, targetRow, valueRow } from './measure.js';
import { ENTITY, metricName, metricStream, NOW, prng } from './workload.js';

const ROWS = 5_000;
const METRICS = 20;
const RULES = 100;
const TARGET_RATIO = 100;

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * The same threshold workload in json-rules-engine and in ml-automations: 100 rules `m_k > t` (5 a metric,
 * t in [0.99, 0.999)) over 5,000 rows of 20 metrics. json-rules-engine has no windows, so ml-automations runs
 * window-1 thresholds on the latest value, entity-wide (every row, as json-rules-engine sees every row), with
 * no cooldown (every match fires, as every passing rule emits its event).
 *
 * What each does per row: json-rules-engine's `engine.run(metrics)` builds an almanac of the row's facts and
 * evaluates all 100 rules, each condition resolving its fact through a promise; we await each run, as a caller
 * must. ml-automations' `ingestBatch` validates the CloudEvent envelope and data, checks the id for duplicates
 * and each step for staleness, routes each value to the 5 automations watching that metric, and builds each
 * firing with its evidence. Both must find the same matches: the firing counts are checked equal.
 */
export async function peerScenario(): Promise<Row[]> {
  const stream = metricStream({ rows: ROWS, projects: 10, metrics: METRICS, seed: 5 });
  const random = prng(6);
  const rules = Array.from({ length: RULES }, (_, i) => ({
    metric: metricName(i % METRICS),
    threshold: 0.99 + 0.009 * random(),
  }));
  const rulesEngine = new RulesEngine(
    rules.map(
      (r, i): RuleProperties => ({
        name: `rule-${i}`,
        conditions: { all: [{ fact: r.metric, operator: 'greaterThan', value: r.threshold }] },
        event: { type: `rule-${i}` },
      }),
    ),
  );
  const ours = () => {
    const engine = createEngine({ clock: new VirtualClock(NOW) });
    rules.forEach((r, i) => {
      engine.save(
        OnRunMetric({
          scope: ENTITY,
          filter: MetricThresholdFilter({ name: r.metric, cmp: '>', threshold: r.threshold }),
        }).do(DoNothing()),
        { name: `rule-${i}`, cooldownMs: 0 },
      );
    });
    return engine;
  };
  const facts = stream.events.map((e) => e.data.metrics);
  let theirFirings = 0;
  let ourFirings = 0;
  const theirs = async (): Promise<void> => {
    theirFirings = 0;
    for (const f of facts) theirFirings += (await rulesEngine.run(f)).events.length;
  };
  // Warm-up: both see every path before the first timed pass (ours three times over, since a pass of ours is
  // about a fiftieth of theirs and would otherwise be timed half-compiled).
  for (const f of facts.slice(0, 1_000)) await rulesEngine.run(f);
  for (let k = 0; k < 3; k++) ours().ingestBatch(stream.events);

  const JRE = 'json-rules-engine 7: await engine.run(row metrics)';
  const ML = 'ml-automations: ingestBatch(rows)';
  const timings = await measurePasses(
    [
      { name: JRE, prepare: () => theirs },
      {
        name: ML,
        // A short pass: best of five a round, so one burst of machine noise does not decide it.
        repeat: 5,
        prepare() {
          const engine = ours();
          return () => {
            ourFirings = engine.ingestBatch(stream.events).length;
          };
        },
      },
    ],
    { rounds: 3, budgetMs: 20_000 },
  );
  if (theirFirings !== ourFirings) {
    throw new Error(
      `peer: json-rules-engine fired ${theirFirings}, ml-automations ${ourFirings}: not the same work`,
    );
  }
  const scenario = `peer (${fmt(ROWS)} rows × ${METRICS} metrics, ${RULES} threshold rules, ${fmt(ourFirings)} firings each)`;
  const theirNs = timings.get(JRE)?.ns ?? Number.NaN;
  const ourNs = timings.get(ML)?.ns ?? Number.NaN;
  return [
    rateRow(scenario, `${JRE} (per row)`, theirNs, ROWS, timings.get(JRE)?.note),
    rateRow(scenario, `${ML} (per row)`, ourNs, ROWS, timings.get(ML)?.note),
    valueRow(scenario, 'ml-automations: metric values/s', (ROWS * METRICS * 1e9) / ourNs, 'values/s'),
    targetRow(
      scenario,
      `ml-automations ≥ ${TARGET_RATIO}× json-rules-engine`,
      theirNs / ourNs,
      '×',
      theirNs / ourNs >= TARGET_RATIO,
    ),
  ];
}
