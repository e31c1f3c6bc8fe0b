// A bench worker process: `node --import tsx bench/cluster-worker.ts NATS_URL ID`; prints "ready", SIGTERM leaves.
import { createWorker } from '../src/cluster/index.js';

const [nats, id] = process.argv.slice(2);
if (nats === undefined || id === undefined) throw new Error('usage: cluster-worker.ts NATS_URL ID');
const worker = await createWorker({ nats, id, settleMs: 0 });
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  worker.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
