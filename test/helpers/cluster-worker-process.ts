// A cluster worker in a process of its own, for the tests that kill, stop and restart workers:
// `node --import tsx cluster-worker-process.ts NATS_URL WORKER_ID [--unfenced]`. Prints "ready" once joined;
// SIGTERM hands its partitions back and exits.
import { createWorker } from '../../src/cluster/index.js';
import { UNFENCED } from '../../src/cluster/worker-options.js';

const [nats, id, flag] = process.argv.slice(2);
if (nats === undefined || id === undefined)
  throw new Error('usage: cluster-worker-process.ts NATS_URL WORKER_ID');
const options = {
  nats,
  id,
  settleMs: 200,
  snapshotEveryMs: 300,
  onIssue: (i: { message: string }) => process.stderr.write(`${id}: ${i.message}\n`),
  ...(flag === '--unfenced' && { [UNFENCED]: true }),
};
const worker = await createWorker(options);
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  worker.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
