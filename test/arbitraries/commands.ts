import fc from 'fast-check';
import type { MetricFilter } from '../../src/index.js';

/** The runs the properties log for: two projects of one entity, and a run of another entity. */
export const RUNS = [
  { entity: 'acme', project: 'p1', runId: 'r0', runName: 'sweep-1', user: 'ana' },
  { entity: 'acme', project: 'p1', runId: 'r1', runName: 'run-2', user: 'bob' },
  { entity: 'acme', project: 'p2', runId: 'r2', user: 'ana' },
  { entity: 'other', project: 'p1', runId: 'r3', runName: 'sweep-9', user: 'ana' },
] as const;

export const METRICS = ['loss', 'acc'] as const;
export const SCOPES = ['acme', 'acme/p1', 'acme/p2', 'other'] as const;
export const HOUR = 3600_000;

export type LogCommand = {
  kind: 'log';
  run: number;
  metrics: [number, number][];
  step: 'none' | 'next' | 'same' | 'back';
  /** How far the clock moves before this row. */
  dt: number;
  /** Whether the event carries its time (else the engine's clock gives it) and how far behind the clock it is. */
  timed: boolean;
  lateBy: number;
};
export type SaveCommand = {
  kind: 'save';
  filter: MetricFilter;
  scope: string;
  runFilter?: { user?: string; runName?: string };
  cooldownMs: number;
};
export type Command =
  | LogCommand
  | SaveCommand
  | { kind: 'disable' | 'enable' | 'delete' | 'rename'; pick: number }
  | { kind: 'cooldown'; pick: number; cooldownMs: number }
  | { kind: 'refilter'; pick: number; filter: MetricFilter }
  | { kind: 'duplicate' }
  | { kind: 'garbage' }
  /** A `run.updated` event: the run's next rows name it again as RUNS does, so verdicts flip back and forth. */
  | { kind: 'update'; run: number; runName?: string; user?: string };

/** Small integers: sums stay exact in floating point, so the model and the engine agree to the bit. */
export const value = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: -6, max: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
);

const metricName = fc.constantFrom(...METRICS);
const agg = fc.constantFrom('min', 'max', 'mean', 'sum') as fc.Arbitrary<'min' | 'max' | 'mean' | 'sum'>;
const direction = fc.constantFrom('increase', 'decrease', 'any') as fc.Arbitrary<
  'increase' | 'decrease' | 'any'
>;

export const thresholdFilter: fc.Arbitrary<MetricFilter> = fc.oneof(
  fc.record({
    type: fc.constant('MetricThresholdFilter' as const),
    name: metricName,
    window: fc.integer({ min: 1, max: 4 }),
    agg,
    cmp: fc.constantFrom('>', '>=', '<', '<=', '==', '!=') as fc.Arbitrary<
      '>' | '>=' | '<' | '<=' | '==' | '!='
    >,
    threshold: fc.integer({ min: -6, max: 6 }).map((x) => x / 2),
  }),
  fc.record({
    type: fc.constant('MetricThresholdFilter' as const),
    name: metricName,
    window: fc.constant(1),
    cmp: fc.constantFrom('>', '<', '==', '!=') as fc.Arbitrary<'>' | '<' | '==' | '!='>,
    threshold: fc.integer({ min: -4, max: 4 }),
  }),
);

export const changeFilter: fc.Arbitrary<MetricFilter> = fc.record({
  type: fc.constant('MetricChangeFilter' as const),
  name: metricName,
  agg,
  currentWindow: fc.integer({ min: 1, max: 3 }),
  priorWindow: fc.integer({ min: 1, max: 4 }),
  changeType: fc.constantFrom('relative', 'absolute') as fc.Arbitrary<'relative' | 'absolute'>,
  direction,
  amount: fc.constantFrom(0.25, 0.5, 1, 2),
});

/** A plateau: a change filter with direction `flat` (fires when |d| < amount). */
export const plateauFilter: fc.Arbitrary<MetricFilter> = changeFilter.map(
  (f): MetricFilter => (f.type === 'MetricChangeFilter' ? { ...f, direction: 'flat' } : f),
);

export const zscoreFilter: fc.Arbitrary<MetricFilter> = fc.record({
  type: fc.constant('MetricZScoreFilter' as const),
  name: metricName,
  window: fc.integer({ min: 2, max: 5 }),
  threshold: fc.constantFrom(0.5, 1, 1.5, 2),
  direction,
});

export const nonFiniteFilter: fc.Arbitrary<MetricFilter> = fc.record({
  type: fc.constant('MetricNonFiniteFilter' as const),
  name: metricName,
});

export const anyFilter = fc.oneof(
  thresholdFilter,
  changeFilter,
  plateauFilter,
  zscoreFilter,
  nonFiniteFilter,
);

const runFilter = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.record({ user: fc.constantFrom('ana', 'bob') }) },
  {
    weight: 1,
    arbitrary: fc.record({ runName: fc.constantFrom('^sweep-', 'run', '9$', '^(sweep|run)-[0-9]+$') }),
  },
  { weight: 1, arbitrary: fc.record({ user: fc.constant('ana'), runName: fc.constant('sweep') }) },
);

const cooldown = fc.constantFrom(0, HOUR, 24 * HOUR);

export type CommandOptions = {
  runFilters?: boolean;
  /** Add `run.updated` events that rename runs and change their users mid-stream. */
  runUpdates?: boolean;
  /** How many automations are saved before the stream (default 1 to 4). */
  saves?: { min: number; max: number };
};

const update: fc.Arbitrary<Command> = fc.record(
  {
    kind: fc.constant('update' as const),
    run: fc.integer({ min: 0, max: RUNS.length - 1 }),
    runName: fc.constantFrom('sweep-1', 'run-2', 'sweep-9', 'eval-3'),
    user: fc.constantFrom('ana', 'bob'),
  },
  { requiredKeys: ['kind', 'run'] },
);

export function commands(
  filter: fc.Arbitrary<MetricFilter>,
  options: CommandOptions = {},
): fc.Arbitrary<Command[]> {
  const log: fc.Arbitrary<Command> = fc.record({
    kind: fc.constant('log' as const),
    run: fc.integer({ min: 0, max: RUNS.length - 1 }),
    metrics: fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: METRICS.length - 1 }), value), {
      minLength: 1,
      maxLength: 2,
      selector: ([m]) => m,
    }),
    step: fc.constantFrom('none', 'next', 'next', 'next', 'same', 'back') as fc.Arbitrary<LogCommand['step']>,
    dt: fc.constantFrom(0, 1000, HOUR, 6 * HOUR, 23 * HOUR, 25 * HOUR),
    timed: fc.boolean(),
    lateBy: fc.constantFrom(0, 0, 0, 2 * HOUR),
  });
  const save: fc.Arbitrary<Command> = fc
    .record({
      kind: fc.constant('save' as const),
      filter,
      scope: fc.constantFrom(...SCOPES),
      runFilter: options.runFilters === false ? fc.constant(undefined) : runFilter,
      cooldownMs: cooldown,
    })
    .map(({ runFilter: rf, ...rest }) => (rf === undefined ? rest : { ...rest, runFilter: rf }));
  const pick = fc.nat({ max: 20 });
  const updates = options.runUpdates === true ? [{ weight: 3, arbitrary: update }] : [];
  const step = fc.oneof(
    { weight: 14, arbitrary: log },
    { weight: 2, arbitrary: save },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constantFrom('disable', 'enable', 'delete', 'rename') as fc.Arbitrary<'disable'>,
        pick,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('cooldown' as const), pick, cooldownMs: cooldown }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('refilter' as const), pick, filter }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'duplicate' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'garbage' as const }) },
    ...updates,
  );
  // Automations first, then a long stream, so that windows fill and firings happen in most runs.
  return fc
    .tuple(
      fc.array(save, { minLength: options.saves?.min ?? 1, maxLength: options.saves?.max ?? 4 }),
      fc.array(step, { minLength: 40, maxLength: 160, size: 'max' }),
    )
    .map(([saves, rest]) => [...saves, ...rest]);
}
