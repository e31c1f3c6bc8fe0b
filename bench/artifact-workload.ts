import { DoNothing, type NewAutomation, OnAddArtifactAlias, OnAddArtifactTag } from '../src/index.js';
import { ENTITY, prng, projectName, T0 } from './workload.js';

// Artifacts: alias and tag events over many collections, and automations with realistic RE2 patterns.

export type ArtifactEvent = {
  readonly id: string;
  readonly source: string;
  readonly type: 'artifact.alias.added' | 'artifact.tag.added';
  readonly time: number;
  readonly data: {
    readonly entity: string;
    readonly project?: string;
    readonly registry?: string;
    readonly collection: string;
    readonly version: number;
    readonly alias?: string;
    readonly tag?: string;
  };
};

export const ARTIFACT_PROJECTS = 20;
export const REGISTRY = 'model';

/** Where collection c lives: one in five in the model registry, the others four by four in each project. */
function placeOf(c: number): { readonly project: string } | { readonly registry: string } {
  return c % 5 === 0
    ? { registry: REGISTRY }
    : { project: projectName(Math.floor(c / 5) % ARTIFACT_PROJECTS) };
}

const collectionName = (c: number): string => `collection-${c}`;

const ALIASES = [
  'prod',
  'production',
  'staging',
  'canary-3',
  'model-v7',
  'v12',
  'release-4.2',
  'best',
  'candidate-blue',
  'rc2',
  'champion',
  'eval-latest',
];
const TAGS = [
  'europe-west4',
  'us-east-1',
  'team-vision',
  'gpu',
  'a100',
  'dataset=imagenet',
  'approved',
  'owner:ana',
  'nightly-12',
  'europe-north1',
  'quantized',
  'h100',
];

const NEUTRAL = 0.9;
const NEUTRAL_ALIASES = ['exp', 'ckpt-step', 'ablation', 'sweep'];
const NEUTRAL_TAGS = ['commit', 'job', 'epoch', 'host'];

/** Alias patterns, `{n}` a number and `{w}` a word, so that most of the 1,000 automations compile their own. */
const ALIAS_PATTERNS = [
  '^prod',
  '^production$',
  '-v\\d+$',
  '^v{n}$',
  '^release-{n}\\.\\d+$',
  '^(canary|staging)(-\\d+)?$',
  'best',
  '^candidate-[a-z]+$',
  'rc{n}$',
  '^champion|^{w}$',
];
const TAG_PATTERNS = [
  '^europe.*',
  '^us-(east|west)-{n}$',
  'europe-west{n}',
  '^team-{w}$',
  'gpu',
  '^(a100|h100)$',
  '^dataset={w}',
  '^approved$',
  '^owner:[a-z]+$',
  '-{n}$',
];
const WORDS = ['vision', 'nlp', 'speech', 'imagenet', 'coco', 'ana', 'ben', 'blue', 'green', 'ranking'];

export type PatternAutomation = { readonly name: string; readonly draft: NewAutomation };

/**
 * `count` automations, OnAddArtifactAlias and OnAddArtifactTag in turn: one in ten entity-wide, two in ten on
 * the model registry, the rest on one project; one in four narrowed to a collection.
 */
export function patternAutomations(count: number, collections: number, seed: number): PatternAutomation[] {
  const random = prng(seed);
  const fill = (template: string): string =>
    template
      .replace('{n}', String(Math.floor(random() * 20)))
      .replace('{w}', WORDS[Math.floor(random() * WORDS.length)] as string);
  const out: PatternAutomation[] = [];
  for (let i = 0; i < count; i++) {
    const where = i % 10;
    const scope =
      where === 0
        ? ENTITY
        : where <= 2
          ? { entity: ENTITY, registry: REGISTRY }
          : `${ENTITY}/${projectName(i % ARTIFACT_PROJECTS)}`;
    const narrowed = i % 4 === 3;
    let collection: string | undefined;
    if (narrowed) {
      // A collection inside the scope (see placeOf), so that the automation can fire.
      const blocks = Math.floor(collections / (5 * ARTIFACT_PROJECTS));
      const c =
        where === 0
          ? Math.floor(random() * collections)
          : where <= 2
            ? 5 * Math.floor((random() * collections) / 5)
            : 5 * ((i % ARTIFACT_PROJECTS) + ARTIFACT_PROJECTS * Math.floor(random() * blocks)) +
              1 +
              Math.floor(random() * 4);
      collection = collectionName(c);
    }
    const base = { scope, ...(collection !== undefined && { collection }) };
    const templates = i % 2 === 0 ? ALIAS_PATTERNS : TAG_PATTERNS;
    const pattern = fill(templates[Math.floor(i / 2) % templates.length] as string);
    const trigger =
      i % 2 === 0
        ? OnAddArtifactAlias({ ...base, alias: pattern })
        : OnAddArtifactTag({ ...base, tag: pattern });
    out.push({ name: `pattern-${i}`, draft: trigger.do(DoNothing()) });
  }
  return out;
}

/** `count` events, alias added and tag added in turn, each on the next version of a random collection. */
export function artifactStream(count: number, collections: number, seed: number): ArtifactEvent[] {
  const random = prng(seed);
  const versions = new Int32Array(collections);
  const out: ArtifactEvent[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const c = Math.floor(random() * collections);
    const version = versions[c] as number;
    versions[c] = version + 1;
    const place = placeOf(c);
    const alias = i % 2 === 0;
    const labels = alias ? ALIASES : TAGS;
    // Most labels are bookkeeping no automation is after; one in ten is one they watch for.
    const label =
      random() < NEUTRAL
        ? `${(alias ? NEUTRAL_ALIASES : NEUTRAL_TAGS)[i % 4]}-${Math.floor(random() * 100_000)}x`
        : (labels[Math.floor(random() * labels.length)] as string);
    out[i] = {
      id: `a-${seed}-${i}`,
      source: '/bench/registry',
      type: alias ? 'artifact.alias.added' : 'artifact.tag.added',
      time: T0 + i,
      data: {
        entity: ENTITY,
        ...place,
        collection: collectionName(c),
        version,
        ...(alias ? { alias: label } : { tag: label }),
      },
    };
  }
  return out;
}
