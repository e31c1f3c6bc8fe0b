import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  createEngine,
  DoNothing,
  type Engine,
  type EngineStats,
  type Firing,
  type Issue,
  type IssueCode,
  OnAddArtifactAlias,
  OnAddArtifactTag,
  OnCreateArtifact,
  OnEvent,
  OnRunMetric,
  OnRunState,
  RunEvent,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);

// Every IssueCode, checked by the compiler both ways: a code added to src/errors/issue.ts must be listed here.
const KNOWN_CODES = {
  invalid_type: true,
  invalid_value: true,
  invalid_format: true,
  too_big: true,
  too_small: true,
  invalid_union: true,
  unrecognized_keys: true,
  custom: true,
  invalid_pattern: true,
  scope_not_allowed: true,
  duplicate_name: true,
  unknown_integration: true,
  out_of_order: true,
  out_of_range: true,
  source_error: true,
  checksum_mismatch: true,
  internal_error: true,
  sink_failed: true,
  dead_lettered: true,
  listener_failed: true,
} as const satisfies Record<IssueCode, true>;

type Setup = { engine: Engine; issues: Issue[] };

/** The same automations each time, so automation ids (and so firing ids) agree between engines. */
function setup(): Setup {
  const engine = createEngine({ clock: new VirtualClock(0) });
  const issues: Issue[] = [];
  engine.errors$.subscribe((i) => issues.push(i));
  const save = (draft: Parameters<Engine['save']>[0], name: string, cooldownMs = 0) =>
    engine.save(draft, { name, cooldownMs });
  save(
    OnRunMetric({ scope: 'acme', filter: RunEvent.metric('loss').mean(2).lt(0.5) }).do(DoNothing()),
    'loss',
  );
  save(
    OnRunMetric({
      scope: 'acme/vision',
      filter: RunEvent.metric('acc').gt(0.8),
      runFilter: { runName: '(a+)+$' },
    }).do(DoNothing()),
    'acc',
    5000,
  );
  save(OnRunMetric({ scope: 'acme', filter: RunEvent.metric('loss').nonFinite() }).do(DoNothing()), 'nan');
  save(OnRunState({ scope: 'acme', states: ['finished', 'failed'] }).do(DoNothing()), 'state');
  save(OnCreateArtifact({ scope: 'acme/vision' }).do(DoNothing()), 'created');
  save(OnAddArtifactTag({ scope: 'acme', tag: '^eu' }).do(DoNothing()), 'tag');
  save(OnAddArtifactAlias({ scope: 'acme', alias: '^prod' }).do(DoNothing()), 'alias');
  save(OnEvent({ includedEventTypes: ['custom.ping'] }).do(DoNothing()), 'ping');
  return { engine, issues };
}

type Outcome = 'accepted' | 'rejected' | 'duplicate';

/**
 * Ingest one input and check the bad-input contract: no throw, exactly one counter moves, and a refused
 * input leaves at least one issue, each with a known code.
 */
function ingestChecked(s: Setup, input: unknown, fired: Firing[]): Outcome {
  const before = s.engine.stats();
  const issuesBefore = s.issues.length;
  let out: readonly Firing[] = [];
  expect(() => {
    out = s.engine.ingest(input);
  }).not.toThrow();
  fired.push(...out);
  const after = s.engine.stats();
  const moved = (k: 'accepted' | 'rejected' | 'duplicates') => after[k] - before[k];
  expect(after.received - before.received).toBe(1);
  expect(moved('accepted') + moved('rejected') + moved('duplicates')).toBe(1);
  const fresh = s.issues.slice(issuesBefore);
  for (const i of fresh) {
    expect(Object.hasOwn(KNOWN_CODES, i.code), `unknown code ${i.code}`).toBe(true);
    expect(Array.isArray(i.path)).toBe(true);
    expect(typeof i.message).toBe('string');
  }
  if (moved('rejected') === 1) {
    expect(fresh.length).toBeGreaterThanOrEqual(1);
    expect(out).toEqual([]);
    return 'rejected';
  }
  return moved('accepted') === 1 ? 'accepted' : 'duplicate';
}

// Shared constants: built once, so that hostile sizes cost nothing per run to generate.
const AT_STRING_LIMIT = 'x'.repeat(65_536);
const OVER_STRING_LIMIT = 'x'.repeat(65_537);
const HUGE = 'h'.repeat(2_000_000);
const REDOS_BAIT = `${'a'.repeat(1000)}!`;

const hostileString = fc.oneof(
  fc.constantFrom(
    AT_STRING_LIMIT,
    OVER_STRING_LIMIT,
    HUGE,
    REDOS_BAIT,
    '\u0000',
    'a\u0000b',
    '\u202Eevil\u202C',
    '\u200F\u05D0\u05D1',
    '\uD800',
    '\uDFFF',
    '\uDFFF\uD800',
    'x\uD83D',
    '${x}',
    '`${process.exit(1)}`',
    '(a+)+$',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '\uFEFF',
    'e\u0301',
    '👩‍👩‍👧',
    '',
    ' ',
    '\r\n',
    '%s%n%d',
    'NaN',
    '-Infinity',
    '1e309',
    'a/b',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
);

const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  stringUnit: 'binary',
});

/** Event-shaped input: known types and plausible places, hostile values anywhere, hostile extensions too. */
const eventFields = fc.record(
  {
    id: fc.oneof(fc.constantFrom('id-1', 'id-2'), hostileString, anything),
    source: fc.oneof(fc.constant('/fuzz'), hostileString),
    type: fc.oneof(
      fc.constantFrom('run.metrics', 'run.state', 'artifact.created', 'artifact.tag.added', 'custom.ping'),
      hostileString,
    ),
    subject: hostileString,
    time: fc.oneof(fc.nat(), hostileString, anything),
    sequence: fc.oneof(fc.nat(), anything),
    data: fc.record(
      {
        entity: fc.oneof(fc.constant('acme'), hostileString),
        project: fc.oneof(fc.constant('vision'), hostileString),
        runId: fc.oneof(fc.constant('r1'), hostileString),
        runName: fc.oneof(fc.constant('aaa'), hostileString),
        user: hostileString,
        step: fc.oneof(fc.nat(), anything),
        state: fc.oneof(fc.constantFrom('finished', 'failed', 'running'), hostileString),
        metrics: fc.dictionary(
          fc.oneof(fc.constantFrom('loss', 'acc'), hostileString),
          fc.oneof(fc.double(), hostileString, anything),
          { maxKeys: 5 },
        ),
        collection: fc.oneof(fc.constant('c'), hostileString),
        version: fc.oneof(fc.nat(3), anything),
        tag: fc.oneof(fc.constant('eu-west'), hostileString),
        tags: fc.array(hostileString, { maxLength: 3 }),
        metadata: fc.dictionary(hostileString, anything, { maxKeys: 3 }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);
const hostileEvent = fc
  .tuple(fc.dictionary(hostileString, anything, { maxKeys: 2 }), eventFields)
  .map(([extensions, fields]) => ({ ...extensions, ...fields }));

function cyclic(): unknown {
  const data: { entity: string; self?: unknown } = { entity: 'acme' };
  data.self = data;
  return { id: 'cyc', source: '/fuzz', type: 'custom.ping', data };
}

function deep(depth: number): unknown {
  let v: unknown = 0;
  for (let d = 0; d < depth; d++) v = [v];
  return { id: 'deep', source: '/fuzz', type: 'custom.ping', data: v };
}

const throwingProxy = new Proxy(
  {},
  new Proxy(
    {},
    {
      get: () => () => {
        throw new Error('trap');
      },
    },
  ),
);
const throwingGetter = Object.defineProperty({ source: '/fuzz', type: 'custom.ping' }, 'id', {
  enumerable: true,
  get: () => {
    throw new Error('getter');
  },
});

// Built inside the property from an index: fast-check inspects and prints generated values, and a throwing
// proxy or getter must meet only the engine.
const SPECIALS: readonly unknown[] = [
  JSON.parse('{"__proto__":{"polluted":1}}'),
  JSON.parse('{"id":"p","source":"/fuzz","type":"custom.ping","data":{"__proto__":{"polluted":1}}}'),
  JSON.parse('{"id":"q","source":"/fuzz","type":"run.metrics","data":{"__proto__":{"runId":"r"}}}'),
  cyclic(),
  deep(100_000),
  deep(31),
  throwingProxy,
  throwingGetter,
  { id: 'arr', source: '/fuzz', type: 'custom.ping', data: new Array(100_001).fill(0) },
  { id: 'wide', source: '/fuzz', type: 'custom.ping', data: new Array(40).fill(AT_STRING_LIMIT) },
  () => ({ id: 'fn', source: '/fuzz', type: 'custom.ping' }),
  Symbol('event'),
  10n,
  undefined,
];
const special = fc.nat(SPECIALS.length - 1).map((index) => ({ special: index }));
const isSpecial = (x: unknown): x is { special: number } =>
  typeof x === 'object' && x !== null && Object.keys(x).length === 1 && Object.hasOwn(x, 'special');

it('(a) any input, hostile strings included: ingest never throws, each refusal is counted and reported', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(anything, hostileEvent, special), { maxLength: 8 }), (inputs) => {
      const s = setup();
      for (const input of inputs) ingestChecked(s, isSpecial(input) ? SPECIALS[input.special] : input, []);
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    }),
    { numRuns: runs },
  );
});

// (b): valid events, with garbage and invalid copies of them mixed in.

type Valid = { readonly type: string; readonly data: Record<string, unknown> };
type Event = { [field: string]: unknown; data?: unknown };

const runId = fc.constantFrom('r1', 'r2');
const metricValue = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.constantFrom<number | string | null>('NaN', 'Infinity', null),
);
const versionNo = fc.nat(3);
const place = { entity: 'acme', project: 'vision', collection: 'c' };

const valid: fc.Arbitrary<Valid> = fc.oneof(
  fc
    .record({
      runId,
      runName: fc.constantFrom('aaa', 'sweep', 'baaa'),
      step: fc.option(fc.nat(30), { nil: undefined }),
      loss: metricValue,
      acc: metricValue,
    })
    .map(({ runId, runName, step, loss, acc }) => ({
      type: 'run.metrics',
      data: {
        entity: 'acme',
        project: 'vision',
        runId,
        runName,
        ...(step !== undefined && { step }),
        metrics: { loss, acc },
      },
    })),
  fc
    .record({ runId, state: fc.constantFrom('running', 'finished', 'failed', 'crashed', 'killed') })
    .map((d) => ({
      type: 'run.state',
      data: { entity: 'acme', project: 'vision', ...d },
    })),
  fc
    .record({
      version: versionNo,
      aliases: fc.subarray(['prod', 'staging', 'best']),
      tags: fc.subarray(['eu-west', 'us']),
    })
    .map((d) => ({ type: 'artifact.created', data: { ...place, ...d, metadata: { note: 'n' } } })),
  fc
    .record({ version: versionNo, tag: fc.constantFrom('eu-west', 'us', 'europe') })
    .map((d) => ({ type: 'artifact.tag.added', data: { ...place, ...d } })),
  fc
    .record({ version: versionNo, alias: fc.constantFrom('prod', 'staging') })
    .map((d) => ({ type: 'artifact.alias.added', data: { ...place, ...d } })),
  fc.integer().map((n) => ({ type: 'custom.ping', data: { n } })),
);

const toEvent = (v: Valid, i: number): Event => ({
  specversion: '1.0',
  id: `v${i}`,
  source: '/fuzz',
  type: v.type,
  time: 1000 * i,
  data: v.data,
});

/** A change that makes any event invalid, whatever its type; named for the failure message. */
type Mutation = { readonly name: string; readonly applies: (type: string) => boolean; apply(e: Event): void };

const any = () => true;
const canonical = (t: string) => t !== 'custom.ping';
const runType = (t: string) => t.startsWith('run.');
const artifactType = (t: string) => t.startsWith('artifact.');
const data = (e: Event) => e.data as Record<string, unknown>;

const MUTATIONS: readonly Mutation[] = [
  // A field removed.
  ...(['id', 'source', 'type'] as const).map((f) => ({
    name: `remove ${f}`,
    applies: any,
    apply: (e: Event) => delete e[f],
  })),
  { name: 'remove data', applies: canonical, apply: (e) => delete e.data },
  ...(['entity', 'project', 'runId'] as const).map((f) => ({
    name: `remove data.${f}`,
    applies: runType,
    apply: (e: Event) => delete data(e)[f],
  })),
  {
    name: 'remove data.metrics',
    applies: (t) => t === 'run.metrics',
    apply: (e) => delete data(e)['metrics'],
  },
  { name: 'remove data.state', applies: (t) => t === 'run.state', apply: (e) => delete data(e)['state'] },
  ...(['entity', 'project', 'collection', 'version'] as const).map((f) => ({
    name: `remove data.${f}`,
    applies: artifactType,
    apply: (e: Event) => delete data(e)[f],
  })),
  // A field's type changed.
  { name: 'id as a number', applies: any, apply: (e) => (e['id'] = 42) },
  { name: 'empty id', applies: any, apply: (e) => (e['id'] = '') },
  { name: 'source as an object', applies: any, apply: (e) => (e['source'] = { at: '/fuzz' }) },
  { name: 'type as an array', applies: any, apply: (e) => (e['type'] = ['run.metrics']) },
  { name: 'time as prose', applies: any, apply: (e) => (e['time'] = 'yesterday') },
  { name: 'negative time', applies: any, apply: (e) => (e['time'] = -1) },
  { name: 'specversion 0.3', applies: any, apply: (e) => (e['specversion'] = '0.3') },
  { name: 'fractional sequence', applies: any, apply: (e) => (e['sequence'] = 1.5) },
  { name: 'data as a string', applies: canonical, apply: (e) => (e.data = 'data') },
  { name: 'entity as a number', applies: canonical, apply: (e) => (data(e)['entity'] = 7) },
  { name: 'entity with a slash', applies: canonical, apply: (e) => (data(e)['entity'] = 'ac/me') },
  { name: 'runId as null', applies: runType, apply: (e) => (data(e)['runId'] = null) },
  {
    name: 'metrics as text',
    applies: (t) => t === 'run.metrics',
    apply: (e) => (data(e)['metrics'] = 'loss'),
  },
  {
    name: 'a metric as an object',
    applies: (t) => t === 'run.metrics',
    apply: (e) => (data(e)['metrics'] = { loss: { v: 1 } }),
  },
  { name: 'fractional step', applies: (t) => t === 'run.metrics', apply: (e) => (data(e)['step'] = 1.5) },
  { name: 'unknown state', applies: (t) => t === 'run.state', apply: (e) => (data(e)['state'] = 'exploded') },
  { name: 'version as text', applies: artifactType, apply: (e) => (data(e)['version'] = '1') },
  { name: 'registry and project', applies: artifactType, apply: (e) => (data(e)['registry'] = 'model') },
  // Over a limit, or not JSON: refused before the schemas, for any type.
  {
    name: 'huge string in data',
    applies: any,
    apply: (e) => (e.data = { ...data(e), note: OVER_STRING_LIMIT }),
  },
  { name: 'huge extension', applies: any, apply: (e) => (e['traceparent'] = HUGE) },
  { name: 'huge key', applies: any, apply: (e) => (e.data = { ...data(e), [OVER_STRING_LIMIT]: 1 }) },
  {
    name: 'deep data',
    applies: any,
    apply: (e) => (e.data = { ...data(e), deep: (deep(40) as Event).data }),
  },
  { name: 'a Map in data', applies: any, apply: (e) => (e.data = { ...data(e), m: new Map() }) },
  { name: 'a bigint in data', applies: any, apply: (e) => (e.data = { ...data(e), n: 1n }) },
  {
    name: 'a cycle in data',
    applies: any,
    apply: (e) => {
      const d: Record<string, unknown> = { ...data(e) };
      d['self'] = d;
      e.data = d;
    },
  },
];

type Garbage =
  | { readonly kind: 'anything'; readonly pos: number; readonly value: unknown }
  | { readonly kind: 'mutant'; readonly pos: number; readonly target: number; readonly mutation: number };

const garbage: fc.Arbitrary<Garbage> = fc.oneof(
  fc.record({ kind: fc.constant('anything' as const), pos: fc.nat(), value: anything }),
  fc.record({
    kind: fc.constant('mutant' as const),
    pos: fc.nat(),
    target: fc.nat(),
    mutation: fc.nat(),
  }),
);

type Item = {
  readonly kind: 'valid' | 'anything' | 'mutant';
  readonly value: unknown;
  readonly name: string;
};

function mutant(of: Event, pick: number): Item {
  const copy = structuredClone(of);
  const applicable = MUTATIONS.filter((m) => m.applies(String(of['type'])));
  const m = applicable[pick % applicable.length] as Mutation;
  m.apply(copy);
  return { kind: 'mutant', value: copy, name: `${m.name} of ${String(of['id'])}` };
}

/** What identifies a firing and what it says; the event object itself is compared through its id. */
const summary = (fired: readonly Firing[]) =>
  fired.map((f) => ({
    id: f.id,
    automationId: f.automationId,
    eventId: f.event.id,
    runId: f.runId,
    time: f.time,
    evidence: f.evidence,
    transition: f.transition,
    artifact: f.artifact,
  }));

const state = (s: EngineStats) => {
  const { accepted, duplicates, stale, firings, suppressed, runs, collections, series } = s;
  return { accepted, duplicates, stale, firings, suppressed, runs, collections, series };
};

it('(b) garbage mixed into valid events changes none of their firings, ids and evidence included', () => {
  fc.assert(
    fc.property(
      fc.array(valid, { minLength: 1, maxLength: 30 }),
      fc.array(garbage, { maxLength: 20 }),
      (valids, junk) => {
        const events = valids.map(toEvent);
        const mixed: Item[] = events.map((e) => ({ kind: 'valid', value: e, name: String(e['id']) }));
        for (const g of junk) {
          const item: Item =
            g.kind === 'anything'
              ? { kind: 'anything', value: g.value, name: 'anything' }
              : mutant(events[g.target % events.length] as Event, g.mutation);
          mixed.splice(g.pos % (mixed.length + 1), 0, item);
        }

        const a = setup();
        const firedA: Firing[] = [];
        const kept: unknown[] = [];
        for (const item of mixed) {
          const outcome = ingestChecked(a, item.value, firedA);
          if (item.kind === 'mutant') expect(outcome, item.name).toBe('rejected');
          if (item.kind === 'valid') expect(outcome, item.name).toBe('accepted');
          // Garbage that happens to be a valid event (fc.anything rarely is) belongs to the valid run too.
          if (outcome !== 'rejected') kept.push(item.value);
        }

        const b = setup();
        const firedB: Firing[] = [];
        for (const value of kept) ingestChecked(b, value, firedB);

        expect(summary(firedA)).toEqual(summary(firedB));
        expect(state(a.engine.stats())).toEqual(state(b.engine.stats()));
        expect(a.issues.filter((i) => i.code === 'out_of_order')).toEqual(
          b.issues.filter((i) => i.code === 'out_of_order'),
        );
      },
    ),
    { numRuns: runs },
  );
});
