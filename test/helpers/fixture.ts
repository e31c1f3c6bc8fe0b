import {
  createEngine,
  DoNothing,
  type Engine,
  type EngineOptions,
  type Issue,
  type MetricFilter,
  OnRunMetric,
  type RunFilter,
  type SaveOptions,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

export type Fixture = { engine: Engine; clock: VirtualClock; issues: Issue[] };

export function fixture(options: Omit<EngineOptions, 'clock'> = {}): Fixture {
  const clock = new VirtualClock(T0);
  const engine = createEngine({ clock, ...options });
  const issues: Issue[] = [];
  engine.errors$.subscribe((i) => issues.push(i));
  return { engine, clock, issues };
}

let counter = 0;

/** A run.metrics event for acme/vision (or the given project), stamped with the time given or none. */
export function row(
  runId: string,
  metrics: Record<string, number | string | null>,
  extra: {
    step?: number;
    time?: number | string;
    project?: string;
    entity?: string;
    runName?: string;
    user?: string;
    id?: string;
  } = {},
) {
  const { step, time, project = 'vision', entity = 'acme', runName, user, id } = extra;
  return {
    id: id ?? `evt-${++counter}`,
    source: '/test',
    type: 'run.metrics',
    ...(time !== undefined && { time }),
    data: {
      entity,
      project,
      runId,
      ...(runName !== undefined && { runName }),
      ...(user !== undefined && { user }),
      ...(step !== undefined && { step }),
      metrics,
    },
  };
}

export function watch(
  engine: Engine,
  filter: MetricFilter,
  options: SaveOptions & { scope?: string; runFilter?: RunFilter } = {},
) {
  const { scope = 'acme/vision', runFilter, ...save } = options;
  return engine.save(
    OnRunMetric({ scope, filter, ...(runFilter !== undefined && { runFilter }) }).do(DoNothing()),
    {
      name: save.name ?? `auto-${++counter}`,
      cooldownMs: 0,
      ...save,
    },
  );
}

/** Feed values to one run's metric, one row each, and return for each value whether it fired (and how often). */
export function feed(
  engine: Engine,
  runId: string,
  metric: string,
  values: readonly (number | string)[],
  clock?: VirtualClock,
): number[] {
  return values.map((v) => {
    clock?.advance(1000);
    return engine.ingest(row(runId, { [metric]: v })).length;
  });
}
