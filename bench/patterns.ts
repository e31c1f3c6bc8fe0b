import { createEngine, type Engine } from '../src/index.js';
import { VirtualClock } from '../src/testing/index.js';
import { artifactStream, patternAutomations } from './artifact-workload.js';
import { measurePasses, type Row, rateRow, valueRow } from './measure.js';
import { NOW } from './workload.js';

const AUTOMATIONS = 1_000;
const COLLECTIONS = 2_000;
const EVENTS = 20_000;

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function engineWith(automations: ReturnType<typeof patternAutomations>): Engine {
  const engine = createEngine({ clock: new VirtualClock(NOW) });
  for (const a of automations) engine.save(a.draft, { name: a.name });
  return engine;
}

/**
 * Artifact alias and tag events (each a change: the next version of one of 2,000 collections in 20 projects and
 * a registry) against 1,000 OnAddArtifactAlias / OnAddArtifactTag automations with RE2 patterns (`^prod`,
 * `-v\d+$`, `^europe.*`, …, most of them distinct), scoped to the entity, the registry or one project, a
 * quarter narrowed to one collection. Each pass on a fresh engine, so every event changes its collection.
 */
export async function patternsScenario(): Promise<Row[]> {
  const automations = patternAutomations(AUTOMATIONS, COLLECTIONS, 7);
  const events = artifactStream(EVENTS, COLLECTIONS, 8);
  engineWith(automations).ingestBatch(artifactStream(5_000, COLLECTIONS, 9)); // warm-up
  let firings = 0;
  const NAME = 'ingestBatch';
  const timings = await measurePasses(
    [
      {
        name: NAME,
        prepare() {
          const engine = engineWith(automations);
          return () => {
            firings = engine.ingestBatch(events).length;
          };
        },
      },
    ],
    { rounds: 3, budgetMs: 15_000 },
  );
  const ns = timings.get(NAME)?.ns ?? Number.NaN;
  const scenario = `patterns (${fmt(EVENTS)} alias/tag events, ${fmt(AUTOMATIONS)} RE2 automations, ${fmt(COLLECTIONS)} collections)`;
  return [
    rateRow(scenario, `${NAME} (per event)`, ns, EVENTS, timings.get(NAME)?.note),
    valueRow(
      scenario,
      `firings/s (${fmt(firings)} firings, ${(firings / EVENTS).toFixed(2)} an event)`,
      (firings * 1e9) / ns,
      'firings/s',
    ),
  ];
}
