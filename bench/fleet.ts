import { createEngine, type Engine } from '../src/index.js';
import { VirtualClock } from '../src/testing/index.js';
import { type FleetAutomation, fleetAutomations } from './fleet-automations.js';
import { type BareTally, bareFleet } from './fleet-bare.js';
import { fleetStream } from './fleet-workload.js';
import { measurePasses, type Row, rateRow, valueRow } from './measure.js';
import { NOW } from './workload.js';

const RUNS = 5_000;
const AUTOMATIONS = 850;

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** An engine on virtual time with the fleet's automations saved (default cooldown, 24 h per automation and run). */
export function fleetEngine(automations: readonly FleetAutomation[]): Engine {
  const engine = createEngine({ clock: new VirtualClock(NOW) });
  for (const a of automations) engine.save(a.draft, { name: a.name });
  return engine;
}

/**
 * A mixed fleet (see fleet-workload.ts): 5,000 interleaved runs, 850 automations, a third with run-name
 * patterns, through `ingestBatch`, against a bare loop doing the same job. Both count their firings, which
 * must agree; the bare loop also counts evaluations and matches, for the match rate.
 */
export async function fleetScenario(): Promise<Row[]> {
  const stream = fleetStream({ runs: RUNS, live: 400, meanRows: 40, seed: 11 });
  const automations = fleetAutomations({ count: AUTOMATIONS, seed: 12, patterns: true });
  const scenario = `fleet (${fmt(stream.values)} values, ${fmt(stream.rows)} rows, ${fmt(stream.runs)} runs, ${fmt(AUTOMATIONS)} automations)`;
  const bare = bareFleet(stream, automations);
  let engineFirings = 0;
  let series = 0;
  let bytes = 0;
  let tally: BareTally | undefined;
  fleetEngine(automations).ingestBatch(stream.events.slice(0, 20_000)); // warm-up
  const timings = await measurePasses(
    [
      {
        name: 'engine',
        prepare() {
          const engine = fleetEngine(automations);
          return () => {
            engineFirings = engine.ingestBatch(stream.events).length;
            const stats = engine.stats();
            series = stats.series;
            bytes = stats.bytesEstimate;
          };
        },
      },
      {
        name: 'bare',
        prepare: () => () => {
          tally = bare();
        },
      },
    ],
    { rounds: 3, budgetMs: 30_000 },
  );
  const engineNs = timings.get('engine')?.ns ?? Number.NaN;
  const bareNs = timings.get('bare')?.ns ?? Number.NaN;
  const t = tally as BareTally;
  return [
    rateRow(scenario, 'ingestBatch (per value)', engineNs, stream.values),
    rateRow(scenario, 'bare loop, same job (per value)', bareNs, stream.values),
    valueRow(scenario, 'engine speed as a share of the bare loop', (100 * bareNs) / engineNs, '%'),
    valueRow(scenario, 'firings (engine)', engineFirings, ''),
    valueRow(
      scenario,
      'firings (bare loop)',
      t.firings,
      '',
      t.firings === engineFirings ? undefined : 'differs from the engine',
    ),
    valueRow(scenario, 'evaluations matching (bare loop)', (100 * t.matches) / t.evaluations, '%'),
    valueRow(scenario, 'automations watching a value (scope and metric)', t.watching / stream.values, ''),
    valueRow(scenario, 'series per run (engine)', series / stream.runs, ''),
    valueRow(scenario, 'series per run a run filter admits (bare loop)', t.series / stream.runs, ''),
    valueRow(scenario, 'engine state per run', bytes / stream.runs, 'B'),
  ];
}
