import { systemClock } from '../clock/system-clock.js';
import { Deferral } from '../core/deferral.js';
import { Partitions } from '../core/partitions.js';
import { type Issue, issue } from '../errors/issue.js';
import type { Authorize } from '../management/authorize.js';
import { integrationCatalog } from '../management/integration-catalog.js';
import { Management } from '../management/management.js';
import { guardedPatternEngine } from '../match/guarded-pattern-engine.js';
import { PatternCache } from '../match/pattern-cache.js';
import { re2jsEngine } from '../match/re2js-engine.js';
import type { Deliverer } from '../sinks/delivery/deliverer.js';
import { Checkpointer } from './checkpointer.js';
import { createOutbox } from './create-outbox.js';
import type { EngineOptions } from './engine-options.js';
import type { EngineState } from './engine-state.js';
import { EngineStreams } from './engine-streams.js';
import { loadStateSync } from './load-state.js';
import { Outcomes } from './outcomes.js';
import { Ticker } from './ticker.js';

/** The parts an Engine is made of, wired together. */
export interface EngineParts {
  readonly streams: EngineStreams;
  readonly outcomes: Outcomes;
  readonly core: Partitions;
  readonly management: Management;
  readonly outbox: Deliverer;
  readonly authorize: Authorize;
  readonly checkpoints: Checkpointer | undefined;
  /** The engine clock's timer for stalls and schedules. */
  readonly ticker: Ticker;
}

/**
 * Build and wire the parts from validated options: definitions (management) feed their changes, in order, to the
 * runtime core (partitions); the core's issues and held-back matches go to the streams and to `apply`'s outcome;
 * firings go to delivery. `restored` is what `openEngine` loaded; without it the state comes from `state` or the
 * store's synchronous load. `snapshot` is the engine's, for checkpoints.
 */
export function composeEngine(
  opts: EngineOptions,
  restored: { readonly state: EngineState | undefined } | undefined,
  snapshot: () => EngineState,
): EngineParts {
  const clock = opts.clock ?? systemClock;
  const streams = new EngineStreams();
  const outcomes = new Outcomes();
  const report = (i: Issue): void => streams.report(i);
  // A grouped batch hands what its events report and hold back on in event order, once it is applied.
  const deferral = new Deferral();
  // What the core reports belongs to the event being applied: `apply` gathers it.
  const coreReport = (i: Issue): void =>
    deferral.defer(() => {
      outcomes.issue(i);
      streams.report(i);
    });
  const patterns = new PatternCache(
    opts.patternEngine === undefined ? re2jsEngine : guardedPatternEngine(opts.patternEngine, coreReport),
  );
  const core = new Partitions({
    clock,
    patterns,
    report: coreReport,
    onSuppressed: (suppressed) =>
      deferral.defer(() => {
        outcomes.suppressed(suppressed);
        streams.suppressed(suppressed);
      }),
    wantsSuppressed: () => outcomes.open || streams.wantsSuppressed(),
    deferral,
    ...(opts.limits !== undefined && { limits: opts.limits }),
    ...(opts.retention !== undefined && { retention: opts.retention }),
    ...(opts.partitions !== undefined && { count: opts.partitions }),
  });
  // Set once the outbox exists; a definition change can bring a stall or schedule's time forward.
  let ticker: Ticker | undefined;
  const management = new Management({
    clock,
    patterns,
    integrations: integrationCatalog(opts.integrations ?? {}),
    onChange: (change) => {
      core.applyDefinition(change);
      ticker?.rearm();
    },
  });
  const integrations = Object.entries(opts.integrations ?? {});
  const outbox = createOutbox(clock, integrations, opts.delivery ?? {}, (id) => management.get(id), {
    report,
    onRecord: (record) => streams.record(record),
    onDelivered: (record) => streams.delivered(record),
    onDeadLetter: (letter) => streams.deadLettered(letter),
    wantsRecords: () => streams.wantsRecords(),
  });
  // Firings the engine clock makes (stalls, schedules) go where an event's go: the streams, then delivery.
  ticker = new Ticker(clock, core, (firings) => {
    for (const firing of firings) {
      streams.fired(firing);
      outbox.deliver(firing);
    }
  });
  // An explicit state wins; otherwise the store's last checkpoint, validated whole before anything is built.
  const state =
    opts.state ?? (restored !== undefined ? restored.state : opts.store && loadStateSync(opts.store));
  if (state !== undefined) {
    // Definitions first: a partition's series bind to the watchers its definitions installed.
    management.definitions.load(state.definitions);
    core.load(state.partitions);
    ticker.rearm();
  }
  outbox.restore(state?.deliveries ?? []);
  const checkpoints = opts.store === undefined ? undefined : new Checkpointer(opts.store, snapshot);
  if (opts.checkpointEveryMs !== undefined)
    checkpoints?.every(clock, opts.checkpointEveryMs, (error) =>
      report(
        issue(
          'sink_failed',
          ['store'],
          `checkpoint failed: ${error instanceof Error ? error.message : String(error)}`,
          error,
        ),
      ),
    );
  // Fail closed: with no authorize option, everything asked through as() is refused.
  const authorize = opts.authorize ?? (() => false);
  return { streams, outcomes, core, management, outbox, authorize, checkpoints, ticker };
}
