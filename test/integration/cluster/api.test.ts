// The library entry against a real server (the one .ci/run starts, given as MLA_NATS_URL, or one of its own):
// typed errors naming the field and value, ClusterError for an uninitialised cluster, pushes that are refused
// change nothing, and a worker's delivery stage delivers every logged firing once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClusterError,
  createWorker,
  initCluster,
  isClusterError,
  publishEvents,
  pushDefinitions,
  readAutomations,
  readFirings,
} from '../../../src/cluster/index.js';
import { isDefinitionError } from '../../../src/index.js';
import { RecordingSink } from '../../../src/testing/index.js';
import { generateStream } from '../../helpers/cluster-stream.js';
import { waitCaughtUp } from '../../helpers/cluster-workers.js';
import { clusterSkipReason, type NatsServer, startNatsServer } from '../../helpers/nats-server.js';

const skip = clusterSkipReason();
let own: NatsServer | undefined;
let nats = '';

beforeAll(async () => {
  if (skip !== undefined) return;
  const shared = process.env['MLA_NATS_URL'];
  if (shared !== undefined) nats = shared;
  else {
    own = await startNatsServer();
    nats = own.url;
  }
});
afterAll(async () => {
  await own?.stop();
});

const caught = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

const notify = {
  name: 'failed-runs',
  event: { type: 'OnRunState', scope: { entity: 'acme' }, states: ['failed'] },
  action: {
    type: 'SendNotification',
    integration: 'audit',
    title: 'failed',
    message: '${run_id}',
    severity: 'ERROR',
  },
};

describe.skipIf(skip !== undefined)('ml-automations/cluster', () => {
  it('refuses bad options with a DefinitionError naming the field and the value', async () => {
    const e = await caught(initCluster({ nats, partitions: 0 }));
    expect(isDefinitionError(e) && e.issues[0]?.path).toEqual(['partitions']);
    const w = await caught(createWorker({ nats, id: 'has space' }));
    expect(isDefinitionError(w) && w.issues.map((i) => [i.path, i.value])).toEqual([[['id'], 'has space']]);
  });

  it('fails with ClusterError(not_initialised) before initCluster, then works', async () => {
    const e = await caught(publishEvents({ nats, events: [] }));
    expect(isClusterError(e) && e.reason).toBe('not_initialised');
    expect(e).toBeInstanceOf(ClusterError);
    const info = await initCluster({ nats, partitions: 4, leaseTtlMs: 1500 });
    expect(info).toMatchObject({ partitions: 4, created: true });
    expect(await initCluster({ nats })).toMatchObject({ partitions: 4, created: false });
    const other = await caught(initCluster({ nats, partitions: 8 }));
    expect(isClusterError(other) && other.reason).toBe('partitions_mismatch');
  });

  it('validates pushes through management: a refused push changes nothing', async () => {
    const first = await pushDefinitions({ nats, automations: [notify] });
    expect(first).toMatchObject({ revision: 1, created: ['aut_1'] });
    const bad = await caught(
      pushDefinitions({ nats, automations: [notify, { ...notify, name: 'x', event: { type: 'Nope' } }] }),
    );
    expect(isDefinitionError(bad) && bad.issues[0]?.path.slice(0, 2)).toEqual(['automations', 1]);
    expect((await readAutomations({ nats })).revision).toBe(1);
    expect(await pushDefinitions({ nats, automations: [notify] })).toMatchObject({
      revision: 1,
      unchanged: ['aut_1'],
    });
  });

  it('refuses, naming each, the triggers a cluster cannot run as one engine: stalls, schedules, counts', async () => {
    const stalled = {
      ...notify,
      name: 'quiet',
      event: { type: 'OnRunStalled', scope: 'acme/vision', forMs: 600_000 },
    };
    const counted = {
      ...notify,
      name: 'oom-3',
      event: { ...notify.event, count: { atLeast: 3, withinMs: 3_600_000 } },
    };
    const bad = await caught(pushDefinitions({ nats, automations: [notify, stalled, counted] }));
    expect(isDefinitionError(bad) && bad.issues.map((i) => i.path)).toEqual([
      ['automations', 1, 'event', 'type'],
      ['automations', 2, 'event', 'count'],
    ]);
    expect(isDefinitionError(bad) && bad.issues[0]?.message).toMatch(/one engine/);
    expect((await readAutomations({ nats })).revision).toBe(1);
  });

  it('delivers every logged firing once through the worker’s delivery stage', async () => {
    const audit = new RecordingSink();
    const worker = await createWorker({ nats, settleMs: 0, deliver: true, integrations: { audit } });
    try {
      const published = await publishEvents({ nats, events: generateStream({ runs: 300, rowsPerRun: 2 }) });
      expect(published.rejected).toBe(0);
      await waitCaughtUp(nats, 20_000);
      const logged: string[] = [];
      for await (const f of readFirings({ nats })) logged.push(f.id);
      expect(logged.length).toBeGreaterThan(10);
      for (let i = 0; i < 100 && audit.ids.length < logged.length; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect([...audit.ids].sort()).toEqual([...logged].sort());
    } finally {
      await worker.close();
    }
  }, 60_000);
});
