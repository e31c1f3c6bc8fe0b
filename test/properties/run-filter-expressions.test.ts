import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CloudEvent,
  createEngine,
  DoNothing,
  type Engine,
  events,
  OnRunMetric,
  OnRunState,
  RunEvent,
  type RunFilterExpression,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { type ModelRun, modelMatches } from '../model/mongo-model.js';

const numRuns = Number(process.env['FC_RUNS'] ?? 150);
const T0 = Date.parse('2026-01-01T00:00:00Z');

// Small domains, so that generated filters and runs meet often.
const PATTERNS = ['^sweep', 'b$', 'a', 'prod', '^$'];
const regex = (p: string): RegExp => new RegExp(p);
const text = fc.constantFrom('a', 'ab', 'sweep-1', 'prod', '', 'B');
const scalar = fc.oneof(text, fc.constantFrom(0, 0.01, 1, 2, -1), fc.boolean(), fc.constant(null));
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.record({ name: text }, { requiredKeys: [] }) },
);
const FIELDS = [
  'display_name',
  'name',
  'username',
  'user',
  'tags',
  'state',
  'config.lr',
  'config.opt.name',
  'config.layers',
  'config.layers.1',
  'config.nothing',
];

const operator = fc.oneof(
  fc.record({ op: fc.constantFrom('$eq', '$ne'), arg: value }),
  fc.record({ op: fc.constantFrom('$gt', '$gte', '$lt', '$lte', '$contains'), arg: scalar }),
  fc.record({ op: fc.constantFrom('$in', '$nin', '$all'), arg: fc.array(scalar, { maxLength: 3 }) }),
  fc.record({ op: fc.constant('$exists'), arg: fc.boolean() }),
  fc.record({ op: fc.constant('$regex'), arg: fc.constantFrom(...PATTERNS) }),
  fc.record({ op: fc.constant('$size'), arg: fc.nat(3) }),
);
const operators = fc
  .uniqueArray(operator, { minLength: 1, maxLength: 2, selector: (o) => o.op })
  .map((os) => Object.fromEntries(os.map((o) => [o.op, o.arg])));
const condition: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: operators },
  { weight: 1, arbitrary: value.filter((v) => !(typeof v === 'object' && v !== null && !Array.isArray(v))) },
  { weight: 1, arbitrary: operators.map((o) => ({ $not: o })) },
);
const { expression: anyExpression } = fc.letrec<{ expression: Record<string, unknown> }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.dictionary(fc.constantFrom(...FIELDS), condition, { minKeys: 1, maxKeys: 2 }),
    fc.record({ $and: fc.array(tie('expression'), { maxLength: 3 }) }),
    fc.record({ $or: fc.array(tie('expression'), { maxLength: 3 }) }),
    fc.record({ $nor: fc.array(tie('expression'), { maxLength: 2 }) }),
    fc.record({ $not: tie('expression') }),
  ),
}));

/**
 * `{ user: x }` alone is the simple form of a run filter (docs/semantics.md, Run filters), not a MongoDB-style one:
 * there `user` is a non-empty label, or `null` for absent (every run). Other values are not this test's subject.
 */
const expression = anyExpression.filter(
  (e) =>
    !(
      Object.keys(e).length === 1 &&
      'user' in e &&
      e['user'] !== null &&
      !(typeof e['user'] === 'string' && e['user'] !== '')
    ),
);

type Step =
  | { kind: 'row'; run: number; runName?: string; user?: string }
  | { kind: 'update'; run: number; tags?: string[]; config?: Record<string, unknown>; runName?: string }
  | { kind: 'state'; run: number; state: 'running' | 'finished' | 'failed' | 'crashed' | 'killed' }
  | { kind: 'restore'; run: number };

const configValue = fc.record(
  {
    lr: fc.constantFrom(0.01, 1, 'high', null),
    opt: fc.record({ name: text }, { requiredKeys: [] }),
    layers: fc.array(fc.constantFrom(1, 2, 'a'), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const), run: fc.constant(0) }) },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        kind: fc.constant('row' as const),
        run: fc.nat(2),
        runName: text,
        user: text.filter((u) => u !== ''),
      },
      { requiredKeys: ['kind', 'run'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        kind: fc.constant('update' as const),
        run: fc.nat(2),
        tags: fc.array(
          text.filter((t) => t !== ''),
          { maxLength: 3 },
        ),
        config: configValue,
        runName: text,
      },
      { requiredKeys: ['kind', 'run'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('state' as const),
      run: fc.nat(2),
      state: fc.constantFrom('running', 'finished', 'failed', 'crashed', 'killed') as fc.Arbitrary<
        'running' | 'finished' | 'failed' | 'crashed' | 'killed'
      >,
    }),
  },
);

const where = { entity: 'acme', project: 'vision' };

/**
 * The model's verdict, but for `{ user: null }`: with no other key it is the simple form of a run filter, where
 * `null` means absent (docs/semantics.md, Definitions), so it admits every run, as `{}` does.
 */
const matches = (expr: Record<string, unknown>, run: ModelRun): boolean =>
  Object.keys(expr).length === 1 && expr['user'] === null
    ? true
    : modelMatches(expr as Parameters<typeof modelMatches>[0], run, regex);

/** Feeds the steps to a fresh engine and to the model; at each row, the engine fires iff the model matches. */
function check(expr: Record<string, unknown>, steps: readonly Step[]): void {
  let engine = createEngine({ clock: new VirtualClock(T0) });
  engine.save(
    OnRunMetric({
      scope: 'acme/vision',
      filter: RunEvent.metric('m').gt(-1),
      runFilter: expr as RunFilterExpression,
    }).do(DoNothing()),
    { name: 'metric', cooldownMs: 0 },
  );
  const runs: ModelRun[] = [{}, {}, {}];
  steps.forEach((s, i) => {
    const run = runs[s.run] as ModelRun;
    const runId = `r${s.run}`;
    const time = T0 + i;
    let event: CloudEvent;
    if (s.kind === 'restore') {
      // Snapshot and restore: tags, config, names and states (and so every verdict) go on as before.
      const state = JSON.parse(JSON.stringify(engine.snapshot())) as ReturnType<Engine['snapshot']>;
      engine = createEngine({ clock: new VirtualClock(T0 + i), state });
      return;
    }
    if (s.kind === 'row') {
      if (s.runName !== undefined) run.runName = s.runName;
      if (s.user !== undefined) run.user = s.user;
      event = events.runMetrics({
        ...where,
        runId,
        time,
        metrics: { m: 0 },
        ...(s.runName !== undefined && { runName: s.runName }),
        ...(s.user !== undefined && { user: s.user }),
      });
    } else if (s.kind === 'update') {
      if (s.tags !== undefined) run.tags = s.tags;
      if (s.config !== undefined) run.config = s.config;
      if (s.runName !== undefined) run.runName = s.runName;
      event = events.runUpdated({
        ...where,
        runId,
        time,
        ...(s.tags !== undefined && { tags: s.tags }),
        ...(s.config !== undefined && { config: s.config as never }),
        ...(s.runName !== undefined && { runName: s.runName }),
      });
    } else {
      run.state = s.state === 'crashed' ? 'failed' : s.state;
      event = events.runState({ ...where, runId, time, state: s.state });
    }
    const fired = engine.ingest(event).length;
    if (s.kind === 'row') expect(fired, `step ${i}: ${JSON.stringify(run)}`).toBe(matches(expr, run) ? 1 : 0);
    else expect(fired).toBe(0);
  });
}

describe('general run filters (§3.5) against a MongoDB-style evaluator written from the rules', () => {
  it('a metric row fires exactly when the model says the run matches, as tags, config, name and state change, across snapshot and restore', () => {
    fc.assert(fc.property(expression, fc.array(step, { maxLength: 12 }), check), { numRuns });
  });

  it('run state triggers read the state the run changes to', () => {
    fc.assert(
      fc.property(
        expression,
        fc.array(
          fc.constantFrom('running', 'finished', 'failed') as fc.Arbitrary<'running' | 'finished' | 'failed'>,
          { maxLength: 6 },
        ),
        (expr, states) => {
          const engine = createEngine({ clock: new VirtualClock(T0) });
          engine.save(
            OnRunState({
              scope: 'acme/vision',
              states: ['running', 'finished', 'failed'],
              runFilter: expr as RunFilterExpression,
            }).do(DoNothing()),
            { name: 's', cooldownMs: 0 },
          );
          engine.ingest(
            events.runUpdated({
              ...where,
              runId: 'r',
              runName: 'sweep-1',
              tags: ['prod'],
              config: { lr: 0.01 },
              time: T0,
            }),
          );
          let last: string | undefined;
          states.forEach((state, i) => {
            const fired = engine.ingest(
              events.runState({ ...where, runId: 'r', state, time: T0 + i + 1 }),
            ).length;
            const model: ModelRun = { runName: 'sweep-1', tags: ['prod'], config: { lr: 0.01 }, state };
            expect(fired).toBe(state !== last && matches(expr, model) ? 1 : 0);
            last = state;
          });
        },
      ),
      { numRuns },
    );
  });
});
