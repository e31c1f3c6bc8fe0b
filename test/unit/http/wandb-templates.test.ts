import { describe, expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  type Engine,
  type EngineState,
  events,
  type Firing,
  OnAddArtifactAlias,
  OnAddArtifactTag,
  OnAddCollectionTag,
  OnCreateArtifact,
  OnEvent,
  OnLinkArtifact,
  OnRemoveArtifactTag,
  OnRemoveCollectionTag,
  OnRunMetric,
  OnRunState,
  OnUnlinkArtifact,
  RunEvent,
  renderPayload,
  TEMPLATE_VARIABLES,
  templateVariables,
  WANDB_EVENT_TYPES,
} from '../../../src/index.js';
import { VirtualClock } from '../../../src/testing/index.js';
import { olderSnapshot } from '../../helpers/older-snapshot.js';

const vision = { entity: 'acme', project: 'vision' } as const;
const model = { entity: 'acme', registry: 'model' } as const;

function engine(state?: EngineState): Engine {
  return createEngine({ clock: new VirtualClock(0), ...(state !== undefined && { state }) });
}

type Trigger = { do(action: ReturnType<typeof DoNothing>): Parameters<Engine['save']>[0] };

function save(e: Engine, trigger: Trigger, name: string): void {
  e.save(trigger.do(DoNothing()), { name, cooldownMs: 0 });
}

/** `${name}` rendered for each firing, keyed by automation name (the last firing of each wins). */
function rendered(fired: readonly Firing[], template: string): Record<string, string> {
  return Object.fromEntries(
    fired.map((f) => [f.automationName, renderPayload(template, templateVariables(f)) as string]),
  );
}

describe('${event_type}: W&B’s event type names, so receivers written for W&B work unchanged', () => {
  // wandb/automations/events.py, EventType: RUN_METRIC_THRESHOLD = "RUN_METRIC", RUN_METRIC_CHANGE,
  // RUN_METRIC_ZSCORE, RUN_STATE, CREATE_ARTIFACT, LINK_ARTIFACT (sent to W&B's API as "LINK_MODEL"),
  // UNLINK_ARTIFACT, ADD_ARTIFACT_ALIAS, ADD_ARTIFACT_TAG, REMOVE_ARTIFACT_TAG, ADD_COLLECTION_TAG,
  // REMOVE_COLLECTION_TAG. Ours where W&B has none: RUN_METRIC_NON_FINITE, ON_EVENT.
  it('names the trigger of every firing; our own event type stays available as ${event_kind}', () => {
    const e = engine();
    const metric = (name: string) => RunEvent.metric(name);
    save(e, OnRunMetric({ scope: 'acme', filter: metric('acc').gt(0.5) }), 'threshold');
    save(
      e,
      OnRunMetric({
        scope: 'acme',
        filter: metric('loss').decreasesBy({ diff: 0.1 }, { current: 1, prior: 1 }),
      }),
      'change',
    );
    save(e, OnRunMetric({ scope: 'acme', filter: metric('z').zscore(2, { threshold: 1 }) }), 'zscore');
    save(e, OnRunMetric({ scope: 'acme', filter: metric('nan').nonFinite() }), 'non-finite');
    save(e, OnRunState({ scope: 'acme', states: ['failed'] }), 'state');
    save(e, OnCreateArtifact({ scope: 'acme' }), 'created');
    save(e, OnLinkArtifact({ scope: 'acme' }), 'linked');
    save(e, OnUnlinkArtifact({ scope: 'acme' }), 'unlinked');
    save(e, OnAddArtifactAlias({ scope: 'acme', alias: '^production$' }), 'alias');
    save(e, OnAddArtifactTag({ scope: 'acme' }), 'tag-added');
    save(e, OnRemoveArtifactTag({ scope: 'acme' }), 'tag-removed');
    save(e, OnAddCollectionTag({ scope: 'acme' }), 'collection-tag-added');
    save(e, OnRemoveCollectionTag({ scope: 'acme' }), 'collection-tag-removed');
    save(
      e,
      OnEvent({ includedEventTypes: ['Microsoft.MachineLearningServices.ModelRegistered'] }),
      'on-event',
    );
    const run = { ...vision, runId: 'r1' };
    const fired = e.ingestBatch([
      events.runMetrics({ ...run, metrics: { acc: 0.9, loss: 1, z: 1 } }),
      events.runMetrics({ ...run, metrics: { loss: 0.5, z: 1 } }),
      events.runMetrics({ ...run, metrics: { z: 9, nan: 'NaN' } }),
      events.runState({ ...run, state: 'failed' }),
      events.artifactCreated({ ...vision, collection: 'resnet', version: 0 }),
      events.artifactLinked({ ...model, collection: 'prod', version: 0 }),
      events.artifactUnlinked({ ...model, collection: 'prod', version: 0 }),
      events.aliasAdded({ ...vision, collection: 'resnet', version: 0, alias: 'production' }),
      events.tagAdded({ ...vision, collection: 'resnet', version: 0, tag: 'eu' }),
      events.tagRemoved({ ...vision, collection: 'resnet', version: 0, tag: 'eu' }),
      events.collectionTagAdded({ ...vision, collection: 'resnet', tag: 'gold' }),
      events.collectionTagRemoved({ ...vision, collection: 'resnet', tag: 'gold' }),
      { id: 'az', source: '/azure', type: 'Microsoft.MachineLearningServices.ModelRegistered' },
    ]);
    expect(rendered(fired, '${event_type}')).toEqual({
      threshold: 'RUN_METRIC',
      change: 'RUN_METRIC_CHANGE',
      zscore: 'RUN_METRIC_ZSCORE',
      'non-finite': 'RUN_METRIC_NON_FINITE',
      state: 'RUN_STATE',
      created: 'CREATE_ARTIFACT',
      linked: 'LINK_ARTIFACT',
      unlinked: 'UNLINK_ARTIFACT',
      alias: 'ADD_ARTIFACT_ALIAS',
      'tag-added': 'ADD_ARTIFACT_TAG',
      'tag-removed': 'REMOVE_ARTIFACT_TAG',
      'collection-tag-added': 'ADD_COLLECTION_TAG',
      'collection-tag-removed': 'REMOVE_COLLECTION_TAG',
      'on-event': 'ON_EVENT',
    });
    expect(new Set(Object.values(rendered(fired, '${event_type}')))).toEqual(new Set(WANDB_EVENT_TYPES));
    expect(rendered(fired, '${event_kind}')).toMatchObject({
      threshold: 'run.metrics',
      state: 'run.state',
      linked: 'artifact.linked',
      'on-event': 'Microsoft.MachineLearningServices.ModelRegistered',
    });
  });

  it('aliases given in artifact.created fire the alias trigger as ADD_ARTIFACT_ALIAS, not CREATE_ARTIFACT', () => {
    const e = engine();
    save(e, OnAddArtifactAlias({ scope: 'acme', alias: '^best$' }), 'alias');
    save(e, OnAddArtifactTag({ scope: 'acme' }), 'tag');
    const fired = e.ingest(
      events.artifactCreated({ ...vision, collection: 'c', version: 1, aliases: ['best'], tags: ['eu'] }),
    );
    expect(rendered(fired, '${event_type}')).toEqual({
      alias: 'ADD_ARTIFACT_ALIAS',
      tag: 'ADD_ARTIFACT_TAG',
    });
  });

  it('${run_status} equals ${run_state}', () => {
    const e = engine();
    save(e, OnRunState({ scope: 'acme', states: ['finished'] }), 'state');
    const fired = e.ingest(events.runState({ ...vision, runId: 'r', state: 'finished' }));
    expect(rendered(fired, '${run_state}/${run_status}')).toEqual({ state: 'finished/finished' });
  });

  it('lists every variable the README documents', () => {
    expect(TEMPLATE_VARIABLES).toEqual(
      expect.arrayContaining(['event_type', 'event_kind', 'run_state', 'run_status', 'ACCESS_TOKEN']),
    );
  });
});

describe('${artifact_version_string}: W&B’s entity/project/collection:vN', () => {
  it('a project collection, and a registry collection as W&B writes it (project wandb-registry-<name>)', () => {
    const e = engine();
    save(e, OnCreateArtifact({ scope: 'acme' }), 'created');
    const inProject = e.ingest(events.artifactCreated({ ...vision, collection: 'resnet', version: 3 }));
    const inRegistry = e.ingest(events.artifactCreated({ ...model, collection: 'resnet-prod', version: 7 }));
    expect(rendered(inProject, '${artifact_version_string}')).toEqual({ created: 'acme/vision/resnet:v3' });
    expect(rendered(inRegistry, '${artifact_version_string}')).toEqual({
      created: 'acme/wandb-registry-model/resnet-prod:v7',
    });
    expect(rendered(inRegistry, '${project_name} ${artifact_version}')).toEqual({ created: 'model 7' });
  });
});

describe('${artifact_metadata.KEY}: the version’s metadata as the engine knows it from artifact.created', () => {
  function watching(): Engine {
    const e = engine();
    save(e, OnCreateArtifact({ scope: model }), 'created');
    save(e, OnAddArtifactAlias({ scope: model }), 'alias');
    save(e, OnAddArtifactTag({ scope: model }), 'tag');
    save(e, OnUnlinkArtifact({ scope: model }), 'unlinked');
    save(e, OnLinkArtifact({ scope: model }), 'linked');
    return e;
  }
  const at = { ...model, collection: 'resnet' };
  const template = '${artifact_metadata.accuracy} ${artifact_metadata.owner}';

  it('renders on alias, tag, unlink and re-link firings, not only on the create event', () => {
    const e = watching();
    const metadata = { accuracy: 0.93, owner: 'ana' };
    expect(rendered(e.ingest(events.artifactCreated({ ...at, version: 3, metadata })), template)).toEqual({
      created: '0.93 ana',
      alias: '0.93 ana', // `latest`
    });
    expect(
      rendered(e.ingest(events.aliasAdded({ ...at, version: 3, alias: 'production' })), template),
    ).toEqual({
      alias: '0.93 ana',
    });
    expect(rendered(e.ingest(events.tagAdded({ ...at, version: 3, tag: 'eu' })), template)).toEqual({
      tag: '0.93 ana',
    });
    expect(rendered(e.ingest(events.artifactUnlinked({ ...at, version: 3 })), template)).toEqual({
      unlinked: '0.93 ana',
    });
    // A re-linked version is the same artifact: unlinking kept what artifact.created said.
    expect(rendered(e.ingest(events.artifactLinked({ ...at, version: 3 })), template)).toEqual({
      linked: '0.93 ana',
      alias: '0.93 ana',
    });
  });

  it('a version never created has none: empty; a later artifact.created with metadata replaces it', () => {
    const e = watching();
    expect(rendered(e.ingest(events.aliasAdded({ ...at, version: 1, alias: 'x' })), template)).toEqual({
      alias: ' ',
    });
    e.ingest(events.artifactCreated({ ...at, version: 2, metadata: { accuracy: 0.5 } }));
    e.ingest(events.artifactCreated({ ...at, version: 2, metadata: { accuracy: 0.7 }, id: 'again' }));
    expect(rendered(e.ingest(events.tagAdded({ ...at, version: 2, tag: 't' })), template)).toEqual({
      tag: '0.7 ',
    });
  });

  it('a key __proto__ is a key like any other (zod’s z.record would drop it)', () => {
    const e = watching();
    e.ingest(
      JSON.parse(
        '{"id":"p","source":"/s","type":"artifact.created","data":{"entity":"acme","registry":"model","collection":"resnet","version":0,"metadata":{"__proto__":{"x":1},"constructor":"c"}}}',
      ),
    );
    const fired = e.ingest(events.tagAdded({ ...at, version: 0, tag: 'eu' }));
    expect(rendered(fired, '${artifact_metadata.__proto__}|${artifact_metadata.constructor}')).toEqual({
      tag: '{"x":1}|c',
    });
    expect(({} as { x?: unknown }).x).toBeUndefined();
  });

  it('survives snapshot and restore (through JSON); a snapshot from before it still loads, knowing none', () => {
    const e = watching();
    e.ingest(events.artifactCreated({ ...at, version: 4, metadata: { accuracy: 0.88, owner: 'bo' } }));
    const snapshot = JSON.parse(JSON.stringify(e.snapshot())) as EngineState;
    expect(snapshot.partitions[0]?.collections[0]?.metadata).toEqual([[4, { accuracy: 0.88, owner: 'bo' }]]);
    const restored = engine(snapshot);
    expect(
      rendered(restored.ingest(events.aliasAdded({ ...at, version: 4, alias: 'prod' })), template),
    ).toEqual({
      alias: '0.88 bo',
    });
    // A version 2 snapshot (before checksums and kept metadata) loads unchecked.
    const older = olderSnapshot(snapshot, 2, { revision: true }) as unknown as EngineState;
    for (const c of (older as unknown as { core: { collections: object[] } }).core.collections)
      delete (c as { metadata?: unknown }).metadata;
    const fromOlder = engine(older);
    expect(
      rendered(fromOlder.ingest(events.aliasAdded({ ...at, version: 4, alias: 'prod' })), template),
    ).toEqual({
      alias: ' ',
    });
  });

  it('is bounded by retention: at most maxVersionsPerCollection versions’ metadata, oldest out first', () => {
    const e = createEngine({ clock: new VirtualClock(0), retention: { maxVersionsPerCollection: 2 } });
    save(e, OnUnlinkArtifact({ scope: model }), 'unlinked');
    save(e, OnAddArtifactTag({ scope: model }), 'tag');
    for (const version of [0, 1, 2])
      e.ingest(events.artifactCreated({ ...at, version, metadata: { accuracy: version } }));
    // v0 was forgotten with the oldest version; v1 and v2 are held.
    const tags = (version: number) =>
      rendered(e.ingest(events.tagAdded({ ...at, version, tag: `t${version}` })), template);
    expect([tags(0), tags(1), tags(2)]).toEqual([{ tag: ' ' }, { tag: '1 ' }, { tag: '2 ' }]);
    e.ingest(events.artifactUnlinked({ ...at, version: 1 }));
    e.ingest(events.artifactCreated({ ...at, version: 5, metadata: { accuracy: 5 } }));
    const snapshot = e.snapshot();
    // v1, unlinked, kept its metadata until a newer version's pushed it past the bound.
    expect(snapshot.partitions[0]?.collections[0]?.metadata?.map(([v]) => v)).toEqual([2, 5]);
  });
});
