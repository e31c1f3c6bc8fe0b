// A child process for the state-file fault tests: `loop PATH` writes checkpoints back to back until killed;
// `full DIR` runs the full-disk scenario in DIR (a tiny tmpfs) and prints what happened as JSON.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, DoNothing, FileStateStore, OnRunMetric, RunEvent } from '../../src/index.js';

const [mode, where] = process.argv.slice(2);
const trigger = OnRunMetric({ scope: 'acme/vision', filter: RunEvent.metric('m').gt(0) }).do(DoNothing());

/** Automations with long descriptions: `count` of them make a state of about count × 4 KiB. */
function pad(engine: ReturnType<typeof createEngine>, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push(engine.save(trigger, { name: `pad-${i}`, description: 'x'.repeat(4000) }).id);
  return ids;
}

async function loop(path: string): Promise<void> {
  // A restarted writer goes on from the last checkpoint, as a restarted service would.
  const engine = createEngine({ store: new FileStateStore(path) });
  if (engine.list().length === 0) pad(engine, 500);
  let n = engine.stats().accepted;
  for (;;) {
    engine.ingest({
      id: `e${n++}`,
      source: '/w',
      type: 'run.metrics',
      data: { entity: 'acme', project: 'vision', runId: 'r', metrics: { m: 1 } },
    });
    await engine.checkpoint();
    process.stdout.write(`saved ${n}\n`);
  }
}

async function full(dir: string): Promise<void> {
  const path = join(dir, 'state.json');
  const files = () => readdirSync(dir).sort();
  const engine = createEngine({ store: new FileStateStore(path) });
  engine.save(trigger, { name: 'keep' });
  await engine.checkpoint();
  const big = pad(engine, 100);
  const failure = await engine.checkpoint().then(
    () => 'saved',
    (e: NodeJS.ErrnoException) => e.code ?? e.message,
  );
  const afterFailure = files();
  for (const id of big) engine.delete(id);
  const retry = await engine.checkpoint().then(
    () => 'saved',
    (e: NodeJS.ErrnoException) => e.code ?? e.message,
  );
  const again = createEngine({ store: new FileStateStore(path) });
  process.stdout.write(
    `${JSON.stringify({ failure, afterFailure, retry, afterRetry: files(), loaded: again.list().map((a) => a.name) })}\n`,
  );
}

if (mode === 'loop' && where !== undefined) await loop(where);
else if (mode === 'full' && where !== undefined) await full(where);
else throw new Error('usage: checkpoint-writer loop PATH | full DIR');
