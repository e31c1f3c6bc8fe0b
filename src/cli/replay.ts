import { systemClock } from '../clock/system-clock.js';
import type { Firing, Issue, Suppressed } from '../index.js';
import { VirtualClock } from '../testing/index.js';
import { describeIssue, runNameOf } from './describe.js';
import type { EventSource, ReadError } from './read-events.js';
import { readEvents } from './read-events.js';
import type { ReadItem } from './read-item.js';
import { countStatuses, createReplayEngine, saveAutomations, settle } from './replay-engine.js';
import type {
  AutomationTally,
  Deliveries,
  Problem,
  ProblemKind,
  ReplayCounts,
  ReplayOptions,
  ReplayResult,
} from './replay-types.js';
import { RunCounter } from './run-counter.js';
import { runKeyOf } from './run-key.js';
import { SeenFilter } from './seen-filter.js';

function timeOf(event: unknown): number | undefined {
  const time = (event as { readonly time?: unknown } | null)?.time;
  if (typeof time === 'number') return time;
  if (typeof time === 'string') return Date.parse(time);
  return undefined;
}

/** Issues that do not reject the event being ingested: they belong to deliveries and listeners. */
const LATER_ISSUES: ReadonlySet<string> = new Set([
  'sink_failed',
  'dead_lettered',
  'listener_failed',
  'source_error',
]);

/** The engine's duplicate key, when the event has one. */
function eventKey(event: unknown): string | undefined {
  const e = event as { readonly source?: unknown; readonly id?: unknown } | null;
  return typeof e?.source === 'string' && typeof e.id === 'string' ? `${e.source}\u0000${e.id}` : undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Replay events through automations on event time: each event moves a virtual clock to its own time, so
 * cooldowns, windows and delivery timing behave as they would have live. Actions are recorded, not sent,
 * unless `deliver` gives real integrations. Reads the source as a stream.
 */
export async function replay(open: () => EventSource, options: ReplayOptions): Promise<ReplayResult> {
  const virtual = options.deliver === undefined ? new VirtualClock(options.from ?? 0) : undefined;
  const { engine, sinks } = createReplayEngine(options, virtual ?? systemClock);
  const automations = saveAutomations(engine, options.automations);
  const observers = options.observers ?? [];
  for (const o of observers) o.start?.(automations);
  const keep = options.keepFirings ?? Number.POSITIVE_INFINITY;
  let firedCount = 0;
  const limit = options.problemLimit ?? 1000;
  const counts: ReplayCounts = {
    read: 0,
    notJson: 0,
    rejected: 0,
    duplicates: 0,
    stale: 0,
    outOfRange: 0,
    accepted: 0,
  };
  const problems: Problem[] = [];
  const firings: Firing[] = [];
  const tallies = new Map<string, AutomationTally>(automations.map((a) => [a.id, { runs: new Map() }]));
  let line = 0;
  let first: number | undefined;
  let last: number | undefined;
  let lastTime: number | undefined;
  const seen = new SeenFilter();
  const runs = new RunCounter();
  let readError: ReadError | undefined;
  let delivering = false;

  const problem = (kind: ProblemKind, message: string): void => {
    const p: Problem = { line, kind, message };
    if (problems.length < limit) problems.push(p);
    options.onProblem?.(p);
  };
  // Ingest is synchronous, so whatever the engine reports belongs to the event being ingested.
  let issues: Issue[] = [];
  engine.errors$.subscribe((i) => issues.push(i));
  let held: Suppressed[] = [];
  engine.on('suppressed', (s) => held.push(s));

  const ingest = async (input: unknown): Promise<void> => {
    let event = input;
    const own = timeOf(event);
    // An event without a time happened when the one before it did.
    const time = own ?? lastTime;
    if (own === undefined && lastTime !== undefined && isObject(event)) event = { ...event, time: lastTime };
    if (own !== undefined && Number.isFinite(own)) lastTime = own;
    if (
      time !== undefined &&
      ((options.from !== undefined && time < options.from) ||
        (options.to !== undefined && time >= options.to))
    ) {
      counts.outOfRange += 1;
      return;
    }
    if (virtual !== undefined && time !== undefined && time > virtual.now()) {
      // Deliveries started by earlier events finish first, or moving time would time them out.
      if (delivering) await engine.idle();
      delivering = false;
      virtual.set(time);
    }
    // Only an event that may repeat an earlier (source, id) needs the engine's counters to tell.
    const key = eventKey(event);
    const before = key !== undefined && seen.mightHave(key) ? engine.stats() : undefined;
    issues = [];
    held = [];
    const fired = engine.ingest(event);
    let rejected = false;
    let stale = 0;
    for (const i of issues) {
      if (i.code === 'out_of_order') {
        stale += 1;
        problem('stale', describeIssue(i));
      } else if (!LATER_ISSUES.has(i.code)) rejected = true;
    }
    counts.stale += stale;
    if (rejected) {
      counts.rejected += 1;
      const why = issues.filter((i) => !LATER_ISSUES.has(i.code) && i.code !== 'out_of_order');
      problem('rejected', `rejected: ${why.map((i) => describeIssue(i)).join('; ')}`);
      return;
    }
    if (before !== undefined && engine.stats().duplicates > before.duplicates) {
      counts.duplicates += 1;
      const id = String((event as { readonly id?: unknown } | null)?.id ?? '?');
      problem('duplicate', `duplicate event ${id} (its source and id were seen before), ignored`);
      return;
    }
    if (key !== undefined) seen.add(key);
    counts.accepted += 1;
    runs.addEvent(event);
    const t = time ?? virtual?.now();
    if (t !== undefined && Number.isFinite(t)) {
      first = first === undefined ? t : Math.min(first, t);
      last = last === undefined ? t : Math.max(last, t);
    }
    for (const o of observers) o.event?.(event, line);
    for (const s of held) for (const o of observers) o.suppressed?.(s);
    for (const f of fired) {
      const tally = tallies.get(f.automationId);
      if (tally !== undefined) {
        tally.first = tally.first === undefined ? f.time : Math.min(tally.first, f.time);
        tally.last = tally.last === undefined ? f.time : Math.max(tally.last, f.time);
        const run = runKeyOf(f);
        if (run !== undefined) tally.runs.set(run, runNameOf(f));
      }
      if (f.action.type !== 'DoNothing') delivering = true;
      firedCount += 1;
      if (firings.length < keep) firings.push(f);
      for (const o of observers) o.firing?.(f);
    }
  };

  // Opened only now, once the automations are known to be good.
  const source = open();
  const progress = options.progress?.(source);
  try {
    await readAll();
  } finally {
    progress?.finish();
    source.stream.destroy();
  }

  async function readAll(): Promise<void> {
    const batches = readEvents(source.stream);
    for (;;) {
      let next: IteratorResult<ReadItem[]>;
      try {
        next = await batches.next();
      } catch (error) {
        // A stream that breaks after some events (a cut .gz) still gets its summary; one that gave none is bad input.
        if (counts.read === 0) throw error;
        readError = {
          message: (error as Error).message,
          offset: source.bytesRead(),
          line,
          gzip: source.gzip,
        };
        return;
      }
      if (next.done === true) return;
      for (const item of next.value) {
        line = item.line;
        counts.read += 1;
        if (!item.ok) {
          counts.notJson += 1;
          problem('not_json', item.message);
          continue;
        }
        await ingest(item.value);
      }
      progress?.update(source.bytesRead(), counts.read, source.textBytes());
    }
  }

  if (options.deliver !== undefined) await settle(engine);
  else await engine.idle();
  const stats = engine.stats();
  const deliveries: Deliveries =
    options.deliver === undefined
      ? {
          mode: 'recorded',
          byIntegration: Object.fromEntries([...sinks].map(([name, sink]) => [name, sink.firings.length])),
        }
      : { mode: 'sent', byStatus: countStatuses(engine) };
  await engine.close();
  return {
    source: source.name,
    automations,
    firings,
    fired: firedCount,
    tallies,
    stats,
    counts,
    runs: runs.result,
    problems,
    ...(first !== undefined && { first }),
    ...(last !== undefined && { last }),
    deliveries,
    ...(readError !== undefined && { readError }),
  };
}
