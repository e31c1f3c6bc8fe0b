import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initCluster } from '../../src/cluster/index.js';
import { postStep, step } from '../helpers/intake-model.js';
import { clusterSkipReason, type NatsServer, startNatsServer } from '../helpers/nats-server.js';
import { startTestService, type TestService } from '../helpers/service.js';

// In cluster mode, over real HTTP and a real nats-server, intake answers as the same ten-line model as one engine:
// the first valid (source, id) is accepted, a later one is a duplicate (the server holds its Nats-Msg-Id), bad data
// is rejected (400, the batch's other events published), a bad envelope refuses the whole request; after every
// answer the log holds exactly one message per accepted event: nothing rejected or resent is published.

const RUNS = Number(process.env['FC_RUNS'] ?? 25);
const skip = clusterSkipReason();

let nats: NatsServer | undefined;
let service: TestService | undefined;
beforeAll(async () => {
  if (skip !== undefined) return;
  nats = await startNatsServer();
  await initCluster({ nats: nats.url, partitions: 4 });
  service = await startTestService({ cluster: { nats: nats.url } });
}, 30_000);
afterAll(async () => {
  await service?.stopAll();
  await nats?.stop();
});

let run = 0;

/** The event log's last sequence: one more per message stored. */
async function logEnd(s: TestService): Promise<number> {
  const status = (await (await s.call('/cluster')).json()) as { byPartition: { lastSeq: number }[] };
  return Math.max(...status.byPartition.map((p) => p.lastSeq));
}

it.skipIf(skip !== undefined)(
  'cluster intake outcomes follow the model, and the log holds one message per accepted event',
  async () => {
    const s = service as TestService;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const prefix = `run${run++}`;
        const seen = new Set<number>();
        const before = await logEnd(s);
        let accepted = 0;
        for (const st of steps) {
          accepted += await postStep(s, prefix, st, seen);
          expect((await logEnd(s)) - before).toBe(accepted);
        }
      }),
      { numRuns: RUNS },
    );
  },
  120_000,
);
