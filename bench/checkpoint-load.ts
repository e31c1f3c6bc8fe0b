// `node --import tsx bench/checkpoint-load.ts [SRC] [EVERY_MS|off]`: ingest at full speed for 10 s on the system clock while a
// FileStateStore checkpoints a ~6 MB state every 10 ms; prints events/s, peak RSS and how many saves overlapped.
// Run on its own (not part of `npm run bench`): it measures what a slow disk and a fast timer do to intake.
// SRC (default ../src/index.js) lets the same script load another checkout's source, to compare before/after.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const src = process.argv[2] === undefined ? '../src/index.js' : pathToFileURL(resolve(process.argv[2])).href;
const lib = (await import(src)) as typeof import('../src/index.js');
const every = process.argv[3] ?? '10';
const SECONDS = 10;
const RUNS = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'mla-checkpoint-load-'));

const store = new lib.FileStateStore(join(dir, 'state.json'));
let saves = 0;
let inFlight = 0;
let maxInFlight = 0;
const counting: import('../src/index.js').StateStore = {
  load: () => store.load(),
  save: async (state) => {
    saves++;
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    try {
      await store.save(state);
    } finally {
      inFlight--;
    }
  },
};
const engine = lib.createEngine({
  store: counting,
  ...(every !== 'off' && { checkpointEveryMs: Number(every) }),
});
engine.save(
  lib
    .OnRunMetric({ scope: 'acme/vision', filter: lib.RunEvent.metric('m').mean(5).gt(2) })
    .do(lib.DoNothing()),
  { name: 'mean5' },
);
let id = 0;
const row = (run: number) => ({
  id: `e${id++}`,
  source: '/load',
  type: 'run.metrics',
  data: { entity: 'acme', project: 'vision', runId: `r${run}`, metrics: { m: (id % 7) / 7 } },
});
// The large state: 10,000 runs with full 5-value windows.
for (let i = 0; i < 5 * RUNS; i += 1000)
  engine.ingestBatch(Array.from({ length: 1000 }, (_, k) => row((i + k) % RUNS)));
const stateBytes = JSON.stringify(engine.snapshot()).length;

let events = 0;
let peakRss = process.memoryUsage().rss;
const start = performance.now();
while (performance.now() - start < SECONDS * 1000) {
  engine.ingestBatch(Array.from({ length: 500 }, () => row(id % RUNS)));
  events += 500;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  // Let timers and the disk run between batches, as a service's event loop would.
  await new Promise((r) => setImmediate(r));
}
const seconds = (performance.now() - start) / 1000;
await engine.close().catch(() => undefined);
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    stateMB: +(stateBytes / 2 ** 20).toFixed(1),
    eventsPerSec: Math.round(events / seconds),
    peakRssMB: Math.round(peakRss / 2 ** 20),
    saves,
    maxSavesInFlight: maxInFlight,
  }),
);
