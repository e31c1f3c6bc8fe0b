import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  type Engine,
  type Firing,
  OnAddArtifactAlias,
  OnAddArtifactTag,
  OnCreateArtifact,
  OnLinkArtifact,
  OnRemoveArtifactTag,
  OnUnlinkArtifact,
  templateVariables,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);
const place = { entity: 'acme', registry: 'model', collection: 'resnet' } as const;

type Metadata = Record<string, unknown>;
type Op =
  | { kind: 'created'; version: number; metadata: Metadata | undefined; aliases: string[] }
  | { kind: 'linked' | 'unlinked'; version: number }
  | { kind: 'alias'; version: number; alias: string }
  | { kind: 'tag.added' | 'tag.removed'; version: number; tag: string }
  | { kind: 'snapshot' };

const version = fc.integer({ min: 0, max: 3 });
// Built from entries, so a `__proto__` key is an own key of the event, as JSON.parse would make it.
const metadata: fc.Arbitrary<Metadata> = fc
  .array(
    fc.tuple(
      fc.constantFrom('accuracy', 'owner', '__proto__', 'constructor', 'nested'),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    { maxLength: 3 },
  )
  .map((entries) => Object.fromEntries(entries));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('created' as const),
    version,
    metadata: fc.option(metadata, { nil: undefined }),
    aliases: fc.uniqueArray(fc.constantFrom('best', 'staging'), { maxLength: 1 }),
  }),
  fc.record({ kind: fc.constantFrom('linked', 'unlinked') as fc.Arbitrary<'linked'>, version }),
  fc.record({ kind: fc.constant('alias' as const), version, alias: fc.constantFrom('production', 'best') }),
  fc.record({
    kind: fc.constantFrom('tag.added', 'tag.removed') as fc.Arbitrary<'tag.added'>,
    version,
    tag: fc.constantFrom('eu', 'gold'),
  }),
  fc.constant({ kind: 'snapshot' as const }),
);

const TYPES = {
  created: 'artifact.created',
  linked: 'artifact.linked',
  unlinked: 'artifact.unlinked',
  alias: 'artifact.alias.added',
  'tag.added': 'artifact.tag.added',
  'tag.removed': 'artifact.tag.removed',
} as const;

function event(o: Exclude<Op, { kind: 'snapshot' }>, id: number): Record<string, unknown> {
  const { kind, ...rest } = o;
  const data: Record<string, unknown> = { ...place };
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) data[key] = value;
  return { id: `e${id}`, source: '/test', type: TYPES[kind], data };
}

/** The model: a version's metadata is that of the latest artifact.created for it that carried some. */
function expectedVariables(known: Metadata | undefined): Record<string, string> {
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return Object.fromEntries(Object.entries(known ?? {}).map(([k, v]) => [`artifact_metadata.${k}`, text(v)]));
}

function metadataVariables(firing: Firing): Record<string, string> {
  return Object.fromEntries(
    Object.entries(templateVariables(firing)).filter(([k]) => k.startsWith('artifact_metadata.')),
  );
}

function engineFrom(state?: ReturnType<Engine['snapshot']>): Engine {
  const engine = createEngine({ clock: new VirtualClock(0), ...(state !== undefined && { state }) });
  if (state !== undefined) return engine;
  const save = (trigger: Parameters<Engine['save']>[0], name: string) => engine.save(trigger, { name });
  const scope = { entity: 'acme', registry: 'model' };
  save(OnCreateArtifact({ scope }).do(DoNothing()), 'created');
  save(OnLinkArtifact({ scope }).do(DoNothing()), 'linked');
  save(OnUnlinkArtifact({ scope }).do(DoNothing()), 'unlinked');
  save(OnAddArtifactAlias({ scope }).do(DoNothing()), 'alias');
  save(OnAddArtifactTag({ scope }).do(DoNothing()), 'tag-added');
  save(OnRemoveArtifactTag({ scope }).do(DoNothing()), 'tag-removed');
  return engine;
}

it('metadata known from artifact.created renders the same on every later firing of that version, across snapshots', () => {
  let checked = 0;
  let withMetadata = 0;
  fc.assert(
    fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
      let engine = engineFrom();
      const known = new Map<number, Metadata>();
      ops.forEach((o, i) => {
        if (o.kind === 'snapshot') {
          // Through JSON, as a file store would keep it.
          engine = engineFrom(JSON.parse(JSON.stringify(engine.snapshot())));
          return;
        }
        if (o.kind === 'created' && o.metadata !== undefined) known.set(o.version, o.metadata);
        for (const firing of engine.ingest(event(o, i))) {
          const v = firing.artifact?.version;
          if (v === undefined) continue;
          checked += 1;
          if (known.has(v) && firing.event.type !== 'artifact.created') withMetadata += 1;
          expect(metadataVariables(firing)).toEqual(expectedVariables(known.get(v)));
          expect(JSON.stringify(firing.artifact?.metadata)).toBe(JSON.stringify(known.get(v)));
        }
      });
    }),
    { numRuns: runs },
  );
  // Not vacuous: many firings of versions with known metadata, on events other than their creation.
  expect(checked).toBeGreaterThan(runs);
  expect(withMetadata).toBeGreaterThan(runs / 10);
});
