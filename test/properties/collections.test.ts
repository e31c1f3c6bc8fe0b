import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  events,
  OnAddArtifactAlias,
  OnAddArtifactTag,
  OnCreateArtifact,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);
const place = { entity: 'acme', project: 'p', collection: 'c' } as const;

type Op =
  | { kind: 'create'; version: number; aliases: string[]; tags: string[] }
  | { kind: 'aliasAdd' | 'aliasRemove'; version: number; alias: string }
  | { kind: 'tagAdd' | 'tagRemove'; version: number; tag: string }
  | { kind: 'unlink'; version: number };

const version = fc.integer({ min: 0, max: 4 });
const alias = fc.constantFrom('latest', 'best', 'production', 'staging');
const tag = fc.constantFrom('eu', 'us', 'gold');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    version,
    aliases: fc.uniqueArray(alias, { maxLength: 2 }),
    tags: fc.uniqueArray(tag, { maxLength: 2 }),
  }),
  fc.record({ kind: fc.constantFrom('aliasAdd', 'aliasRemove') as fc.Arbitrary<'aliasAdd'>, version, alias }),
  fc.record({ kind: fc.constantFrom('tagAdd', 'tagRemove') as fc.Arbitrary<'tagAdd'>, version, tag }),
  fc.record({ kind: fc.constant('unlink' as const), version }),
);

/** The collection as a plain list of (alias, version) pairs, tags as (version, tag) pairs: recomputed naively. */
class CollectionModel {
  versions: number[] = [];
  aliases: [string, number][] = [];
  tags: [number, string][] = [];

  /** Returns the expected firings: created?, aliases newly held, tags newly added. */
  apply(o: Op): { created: boolean; aliasAdded: string[]; tagAdded: string[] } {
    const out = { created: false, aliasAdded: [] as string[], tagAdded: [] as string[] };
    const addAlias = (v: number, a: string) => {
      if (this.aliases.some(([x, y]) => x === a && y === v)) return;
      this.aliases = [...this.aliases.filter(([x]) => x !== a), [a, v]];
      out.aliasAdded.push(a);
    };
    const addTag = (v: number, t: string) => {
      if (this.tags.some(([y, x]) => y === v && x === t)) return;
      this.tags.push([v, t]);
      out.tagAdded.push(t);
    };
    switch (o.kind) {
      case 'create':
        if (!this.versions.includes(o.version)) {
          out.created = true;
          if (this.versions.every((v) => v < o.version)) addAlias(o.version, 'latest');
          this.versions.push(o.version);
        }
        for (const a of o.aliases) addAlias(o.version, a);
        for (const t of o.tags) addTag(o.version, t);
        break;
      case 'aliasAdd':
        if (!this.versions.includes(o.version)) this.versions.push(o.version);
        addAlias(o.version, o.alias);
        break;
      case 'aliasRemove':
        this.aliases = this.aliases.filter(([x, y]) => !(x === o.alias && y === o.version));
        break;
      case 'tagAdd':
        if (!this.versions.includes(o.version)) this.versions.push(o.version);
        addTag(o.version, o.tag);
        break;
      case 'tagRemove':
        this.tags = this.tags.filter(([y, x]) => !(y === o.version && x === o.tag));
        break;
      case 'unlink': {
        if (!this.versions.includes(o.version)) break;
        const hadLatest = this.aliases.some(([x, y]) => x === 'latest' && y === o.version);
        this.versions = this.versions.filter((v) => v !== o.version);
        this.aliases = this.aliases.filter(([, y]) => y !== o.version);
        this.tags = this.tags.filter(([y]) => y !== o.version);
        if (hadLatest && this.versions.length > 0) this.aliases.push(['latest', Math.max(...this.versions)]);
        break;
      }
    }
    return out;
  }
}

function toEvent(o: Op, i: number): unknown {
  const env = { id: `e${i}` };
  switch (o.kind) {
    case 'create':
      return events.artifactCreated({
        ...place,
        ...env,
        version: o.version,
        aliases: o.aliases,
        tags: o.tags,
      });
    case 'aliasAdd':
      return events.aliasAdded({ ...place, ...env, version: o.version, alias: o.alias });
    case 'aliasRemove':
      return events.aliasRemoved({ ...place, ...env, version: o.version, alias: o.alias });
    case 'tagAdd':
      return events.tagAdded({ ...place, ...env, version: o.version, tag: o.tag });
    case 'tagRemove':
      return events.tagRemoved({ ...place, ...env, version: o.version, tag: o.tag });
    case 'unlink':
      return { id: `e${i}`, source: '/p', type: 'artifact.unlinked', data: { ...place, version: o.version } };
  }
}

it('collections: an alias is held by at most one version, and alias/tag/create triggers fire exactly on changes', () => {
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
      const engine = createEngine({ clock: new VirtualClock(0) });
      const created = engine.save(OnCreateArtifact({ scope: 'acme/p' }).do(DoNothing()), {
        name: 'created',
      }).id;
      const aliasIds = new Map(
        ['latest', 'best', 'production', 'staging'].map((a) => [
          engine.save(OnAddArtifactAlias({ scope: 'acme', alias: `^${a}$` }).do(DoNothing()), {
            name: `alias-${a}`,
          }).id,
          a,
        ]),
      );
      const tagIds = new Map(
        ['eu', 'us', 'gold'].map((t) => [
          engine.save(OnAddArtifactTag({ scope: 'acme', tag: `^${t}$` }).do(DoNothing()), {
            name: `tag-${t}`,
          }).id,
          t,
        ]),
      );
      const model = new CollectionModel();
      ops.forEach((o, i) => {
        const want = model.apply(o);
        const fired = engine.ingest(toEvent(o, i));
        expect(fired.some((f) => f.automationId === created)).toBe(want.created);
        expect(fired.flatMap((f) => aliasIds.get(f.automationId) ?? []).sort()).toEqual(
          [...want.aliasAdded].sort(),
        );
        expect(fired.flatMap((f) => tagIds.get(f.automationId) ?? []).sort()).toEqual(
          [...want.tagAdded].sort(),
        );
        const holders = new Map<string, number>();
        for (const [a] of model.aliases) holders.set(a, (holders.get(a) ?? 0) + 1);
        expect([...holders.values()].every((count) => count === 1)).toBe(true);
      });
    }),
    { numRuns: runs },
  );
});
