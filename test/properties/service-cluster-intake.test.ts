import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initCluster } from '../../src/cluster/index.js';
import { clusterSkipReason, type NatsServer, startNatsServer } from '../helpers/nats-server.js';
import { INTAKE_TOKEN, startTestService, type TestService } from '../helpers/service.js';

// In cluster mode, over real HTTP and a real nats-server, intake answers as the same ten-line model as one engine:
// the first valid (source, id) is accepted, a later one is a duplicate (the server holds its Nats-Msg-Id), bad data
// is rejected (400, the batch's other events published), a bad envelope refuses the whole request; after every
// answer the log holds exactly one message per accepted event: nothing rejected or resent is published.

const RUNS = Number(process.env['FC_RUNS'] ?? 25);
const skip = clusterSkipReason();

type Kind = 'ok' | 'bad-data' | 'bad-envelope';
type Item = { readonly id: number; readonly kind: Kind };
type Step = { readonly batch: boolean; readonly items: readonly Item[] };

const item = fc.record({
  id: fc.integer({ min: 0, max: 3 }),
  kind: fc.constantFrom<Kind>('ok', 'ok', 'ok', 'bad-data', 'bad-envelope'),
});
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ batch: fc.constant(false), items: fc.tuple(item) }),
  fc.record({ batch: fc.constant(true), items: fc.array(item, { minLength: 1, maxLength: 4 }) }),
);

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
function event(prefix: string, { id, kind }: Item): Record<string, unknown> {
  const e = {
    specversion: '1.0',
    id: `${prefix}-${id}`,
    source: '/prop',
    type: 'run.state',
    data: { entity: 'acme', project: 'p', runId: `r${id}`, state: 'running' },
  };
  if (kind === 'bad-data') return { ...e, data: { ...e.data, state: 'exploded' } };
  if (kind === 'bad-envelope') return { ...e, id: '' };
  return e;
}

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
          const body = st.batch ? st.items.map((i) => event(prefix, i)) : event(prefix, st.items[0] as Item);
          const res = await s.call('/events', {
            method: 'POST',
            token: INTAKE_TOKEN,
            body: JSON.stringify(body),
            headers: {
              'content-type': st.batch
                ? 'application/cloudevents-batch+json'
                : 'application/cloudevents+json',
            },
          });
          const answer = (await res.json()) as { status?: string | number; results?: { status: string }[] };
          if (st.items.some((i) => i.kind === 'bad-envelope')) {
            expect(res.status).toBe(400);
            expect(answer.results).toBeUndefined();
          } else {
            const expected = st.items.map((i) => {
              if (i.kind === 'bad-data') return 'rejected';
              if (seen.has(i.id)) return 'duplicate';
              seen.add(i.id);
              accepted++;
              return 'accepted';
            });
            const rejected = expected.includes('rejected');
            expect(res.status).toBe(rejected ? 400 : 202);
            const got = st.batch || rejected ? answer.results?.map((r) => r.status) : [answer.status];
            expect(got).toEqual(expected);
          }
          expect((await logEnd(s)) - before).toBe(accepted);
        }
      }),
      { numRuns: RUNS },
    );
  },
  120_000,
);
