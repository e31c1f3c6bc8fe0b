import { describe, expect, it } from 'vitest';
import {
  type ArtifactTrigger,
  DoNothing,
  events,
  isDefinitionError,
  OnAddArtifactAlias,
  OnAddArtifactTag,
  OnAddCollectionTag,
  OnCreateArtifact,
  OnLinkArtifact,
  OnRemoveArtifactTag,
  OnRemoveCollectionTag,
  OnUnlinkArtifact,
  type Trigger,
} from '../../src/index.js';
import { fixture } from '../helpers/fixture.js';

const vision = { entity: 'acme', project: 'vision' } as const;
const registry = { entity: 'acme', registry: 'model' } as const;
let n = 0;

function setup(...triggers: Trigger<ArtifactTrigger>[]) {
  const f = fixture();
  for (const t of triggers) f.engine.save(t.do(DoNothing()), { name: `t${++n}` });
  const names = (event: unknown) => f.engine.ingest(event).map((x) => x.automationName);
  return { ...f, names };
}

describe('artifact triggers (§6)', () => {
  it('OnCreateArtifact fires once per new version; an alias filter sees the aliases it was created with, latest included', () => {
    const { engine } = fixture();
    const any = engine.save(OnCreateArtifact({ scope: 'acme/vision' }).do(DoNothing()), { name: 'any' });
    const best = engine.save(OnCreateArtifact({ scope: 'acme/vision', alias: '^best$' }).do(DoNothing()), {
      name: 'best',
    });
    const latest = engine.save(
      OnCreateArtifact({ scope: 'acme/vision', alias: '^latest$' }).do(DoNothing()),
      { name: 'latest' },
    );
    const first = engine.ingest(events.artifactCreated({ ...vision, collection: 'resnet', version: 1 }));
    expect(first.map((f) => f.automationId)).toEqual([any.id, latest.id]);
    const second = engine.ingest(
      events.artifactCreated({ ...vision, collection: 'resnet', version: 2, aliases: ['best'] }),
    );
    expect(second.map((f) => f.automationId)).toEqual([any.id, best.id, latest.id]);
    expect(second[1]?.artifact).toEqual({
      ...vision,
      collection: 'resnet',
      version: 2,
      aliases: ['latest', 'best'],
      alias: 'best',
    });
    // The same version created again is no new version.
    expect(engine.ingest(events.artifactCreated({ ...vision, collection: 'resnet', version: 2 }))).toEqual(
      [],
    );
  });

  it('a new version takes latest, which counts as latest added; an older version does not take it', () => {
    const { names } = setup(OnAddArtifactAlias({ scope: 'acme', alias: '^latest$' }));
    expect(names(events.artifactCreated({ ...vision, collection: 'c', version: 1 }))).toHaveLength(1);
    expect(names(events.artifactCreated({ ...vision, collection: 'c', version: 2 }))).toHaveLength(1);
    expect(names(events.artifactCreated({ ...vision, collection: 'c', version: 0 }))).toHaveLength(0);
  });

  it('the production alias triggers a deployment, and moves from version to version', () => {
    const { engine, names } = setup(OnAddArtifactAlias({ scope: 'acme/model', alias: '^production$' }));
    void engine;
    const { names: reg } = setup(
      OnAddArtifactAlias({ scope: { entity: 'acme', registry: 'model' }, alias: '^production$' }),
    );
    expect(names(events.aliasAdded({ ...vision, collection: 'x', version: 1, alias: 'production' }))).toEqual(
      [],
    ); // other project
    expect(
      reg(events.aliasAdded({ ...registry, collection: 'resnet', version: 1, alias: 'production' })),
    ).toHaveLength(1);
    expect(
      reg(events.aliasAdded({ ...registry, collection: 'resnet', version: 1, alias: 'production' })),
    ).toHaveLength(0); // already there
    expect(
      reg(events.aliasAdded({ ...registry, collection: 'resnet', version: 2, alias: 'production' })),
    ).toHaveLength(1); // moved
    expect(
      reg(events.aliasAdded({ ...registry, collection: 'resnet', version: 1, alias: 'production' })),
    ).toHaveLength(1); // moved back
  });

  it('the test-set-quality-check alias starts a workflow step; the pattern is an unanchored RE2 search', () => {
    const { names } = setup(OnAddArtifactAlias({ scope: 'acme/vision', alias: 'test-set-quality-check' }));
    expect(
      names(events.aliasAdded({ ...vision, collection: 'ds', version: 4, alias: 'test-set-quality-check' })),
    ).toHaveLength(1);
    expect(
      names(
        events.aliasAdded({ ...vision, collection: 'ds', version: 4, alias: 'pre-test-set-quality-check-2' }),
      ),
    ).toHaveLength(1);
    expect(
      names(events.aliasAdded({ ...vision, collection: 'ds', version: 4, alias: 'quality' })),
    ).toHaveLength(0);
  });

  it('a ^europe.* tag pattern matches europe-west, not west-europe; tags are shared and a no-op add fires nothing', () => {
    const { names } = setup(
      OnAddArtifactTag({ scope: 'acme', tag: '^europe.*' }),
      OnRemoveArtifactTag({ scope: 'acme', tag: '^europe' }),
    );
    const tag = (version: number, t: string) =>
      events.tagAdded({ ...vision, collection: 'c', version, tag: t });
    expect(names(tag(1, 'europe-west'))).toEqual(['t' + String(n - 1)]);
    expect(names(tag(2, 'europe-west'))).toHaveLength(1); // another version may have the same tag
    expect(names(tag(2, 'europe-west'))).toHaveLength(0); // already there
    expect(names(tag(3, 'west-europe'))).toHaveLength(0);
    expect(
      names(events.tagRemoved({ ...vision, collection: 'c', version: 1, tag: 'europe-west' })),
    ).toHaveLength(1);
    expect(
      names(events.tagRemoved({ ...vision, collection: 'c', version: 1, tag: 'europe-west' })),
    ).toHaveLength(0); // not there any more
  });

  it('aliases and tags given at creation count as added', () => {
    const { names } = setup(
      OnAddArtifactAlias({ scope: 'acme', alias: '^best$' }),
      OnAddArtifactTag({ scope: 'acme', tag: 'gold' }),
    );
    expect(
      names(
        events.artifactCreated({ ...vision, collection: 'c', version: 1, aliases: ['best'], tags: ['gold'] }),
      ),
    ).toHaveLength(2);
  });

  it('link and unlink: registry scope covers every collection in it, including later ones; unlink sees the aliases it had', () => {
    const { engine } = fixture();
    engine.save(OnLinkArtifact({ scope: { entity: 'acme', registry: 'model' } }).do(DoNothing()), {
      name: 'link',
    });
    engine.save(
      OnUnlinkArtifact({ scope: { entity: 'acme', registry: 'model' }, alias: '^production$' }).do(
        DoNothing(),
      ),
      { name: 'unlink-prod' },
    );
    const source = { entity: 'acme', project: 'vision', collection: 'resnet', version: 7 };
    expect(
      engine.ingest(events.artifactLinked({ ...registry, collection: 'brand-new', version: 0, source })),
    ).toHaveLength(1);
    expect(
      engine.ingest(events.artifactLinked({ ...registry, collection: 'brand-new', version: 0, source })),
    ).toHaveLength(0);
    engine.ingest(
      events.aliasAdded({ ...registry, collection: 'brand-new', version: 0, alias: 'production' }),
    );
    const [unlinked] = engine.ingest(
      events.artifactUnlinked({ ...registry, collection: 'brand-new', version: 0 }),
    );
    expect(unlinked?.artifact).toMatchObject({
      version: 0,
      alias: 'production',
      aliases: ['latest', 'production'],
    });
    expect(
      engine.ingest(events.artifactUnlinked({ ...registry, collection: 'brand-new', version: 0 })),
    ).toHaveLength(0);
    // A project event is outside a registry scope.
    expect(engine.ingest(events.artifactLinked({ ...vision, collection: 'x', version: 1 }))).toHaveLength(0);
  });

  it('entity scope covers every project and registry of the entity; collection scope and filter narrow to one', () => {
    const { names } = setup(
      OnAddCollectionTag({ scope: 'acme' }),
      OnAddCollectionTag({ scope: { entity: 'acme', registry: 'model', collection: 'resnet' } }),
      OnAddCollectionTag({ scope: 'acme/vision', collection: 'resnet' }),
      OnRemoveCollectionTag({ scope: 'acme' }),
    );
    expect(names(events.collectionTagAdded({ ...registry, collection: 'resnet', tag: 'x' }))).toHaveLength(2);
    expect(names(events.collectionTagAdded({ ...vision, collection: 'resnet', tag: 'x' }))).toHaveLength(2);
    expect(names(events.collectionTagAdded({ ...vision, collection: 'other', tag: 'x' }))).toHaveLength(1);
    expect(
      names(events.collectionTagAdded({ entity: 'zeta', project: 'p', collection: 'resnet', tag: 'x' })),
    ).toHaveLength(0);
    expect(names(events.collectionTagRemoved({ ...vision, collection: 'other', tag: 'x' }))).toHaveLength(1);
    expect(names(events.collectionTagRemoved({ ...vision, collection: 'other', tag: 'x' }))).toHaveLength(0);
  });

  it('artifact events are not deduplicated by run: each distinct event fires once, whatever the cooldown', () => {
    const { engine } = fixture();
    engine.save(OnAddArtifactTag({ scope: 'acme' }).do(DoNothing()), {
      name: 'tag',
      cooldownMs: 24 * 3600_000,
    });
    expect(engine.ingest(events.tagAdded({ ...vision, collection: 'c', version: 1, tag: 'a' }))).toHaveLength(
      1,
    );
    expect(engine.ingest(events.tagAdded({ ...vision, collection: 'c', version: 1, tag: 'b' }))).toHaveLength(
      1,
    );
  });

  it('validates definitions: pattern syntax, and the pattern kind each trigger takes', () => {
    for (const bad of [
      () => OnAddArtifactAlias({ scope: 'acme', alias: '(' }),
      () => OnAddArtifactTag({ scope: 'acme', alias: 'x' } as never),
    ]) {
      try {
        bad();
        expect.unreachable();
      } catch (error) {
        expect(isDefinitionError(error)).toBe(true);
      }
    }
    expect(JSON.parse(JSON.stringify(OnAddArtifactTag({ scope: 'acme', tag: '^eu' })))).toEqual({
      type: 'OnAddArtifactTag',
      scope: { type: 'entity', entity: 'acme' },
      tag: '^eu',
    });
  });

  it('bad artifact events are reported with the field path and change nothing', () => {
    const { engine, issues } = fixture();
    engine.save(OnCreateArtifact({ scope: 'acme' }).do(DoNothing()), { name: 'c' });
    engine.ingest({
      id: 'x',
      source: 's',
      type: 'artifact.created',
      data: { entity: 'acme', project: 'vision', collection: 'c', version: -1 },
    });
    engine.ingest({
      id: 'y',
      source: 's',
      type: 'artifact.created',
      data: { entity: 'acme', project: 'p', registry: 'r', collection: 'c', version: 1 },
    });
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['too_small', ['data', 'version']],
      ['invalid_value', ['data', 'registry']],
    ]);
    expect(engine.ingest(events.artifactCreated({ ...vision, collection: 'c', version: 1 }))).toHaveLength(1);
  });
});
