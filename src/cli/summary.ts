import type { Automation, Firing } from '../index.js';
import { describeFiring, isoTime, runNameOf } from './describe.js';
import type { ReplayResult } from './replay-types.js';

/** One automation's replay in numbers. */
export type AutomationSummary = {
  readonly id: string;
  readonly name: string;
  readonly firings: number;
  /** Matches the cooldown held back (`engine.stats().byAutomation`). */
  readonly suppressed: number;
  /** Event time of the first and last firing, epoch ms. */
  readonly firstFiring?: number;
  readonly lastFiring?: number;
  /** Distinct runs it fired for, and their names. */
  readonly runsAffected: number;
  readonly runs: readonly string[];
};

export function summarize(result: ReplayResult): AutomationSummary[] {
  return result.automations.map((a) => {
    const counts = result.stats.byAutomation[a.id];
    const tally = result.tallies.get(a.id);
    return {
      id: a.id,
      name: a.name,
      firings: counts?.firings ?? 0,
      suppressed: counts?.suppressed ?? 0,
      ...(tally?.first !== undefined && { firstFiring: tally.first }),
      ...(tally?.last !== undefined && { lastFiring: tally.last }),
      runsAffected: tally?.runs.size ?? 0,
      runs: [...(tally?.runs.values() ?? [])],
    };
  });
}

/** One `--format jsonl` line for a firing: replay and `cluster firings` write the same records. */
export function firingLine(f: Firing, automation: Automation | undefined): string {
  return `${JSON.stringify({ kind: 'firing', ...firingRecord(f, automation) })}\n`;
}

/** A firing as one flat JSON record: what `--format json` lists and `--format jsonl` streams. */
export function firingRecord(f: Firing, automation: Automation | undefined): Record<string, unknown> {
  const { subject, why, window } = describeFiring(f, automation);
  const data = f.event.data as { readonly entity?: unknown; readonly project?: unknown } | undefined;
  return {
    id: f.id,
    time: isoTime(f.time),
    automation: f.automationName,
    automationId: f.automationId,
    ...(f.runId !== undefined && {
      run: runNameOf(f),
      runId: f.runId,
      entity: data?.entity,
      project: data?.project,
    }),
    event: { id: f.event.id, source: f.event.source, type: f.event.type },
    subject,
    why,
    ...(window !== '' && { window }),
    ...(f.evidence !== undefined && { evidence: f.evidence }),
    ...(f.transition !== undefined && { transition: f.transition }),
    ...(f.artifact !== undefined && { artifact: f.artifact }),
    action: f.action.type,
    ...(f.action.type !== 'DoNothing' && { integration: f.action.integration }),
  };
}

/** The summary row of one automation as JSON, with ISO times. */
export function summaryRecord(s: AutomationSummary): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    firings: s.firings,
    suppressed: s.suppressed,
    ...(s.firstFiring !== undefined && { firstFiring: isoTime(s.firstFiring) }),
    ...(s.lastFiring !== undefined && { lastFiring: isoTime(s.lastFiring) }),
    runsAffected: s.runsAffected,
    runs: s.runs,
  };
}

/** What was read and skipped, as JSON; `firingsLeftOut` when a limit left firings unlisted. */
export function eventsRecord(result: ReplayResult, firingsLeftOut?: number): Record<string, unknown> {
  const { counts } = result;
  return {
    source: result.source,
    ...counts,
    bad: counts.notJson + counts.rejected,
    ...(result.first !== undefined && { first: isoTime(result.first) }),
    ...(result.last !== undefined && { last: isoTime(result.last) }),
    runs: result.runs.count,
    ...(!result.runs.exact && { runsEstimated: true }),
    firings: result.fired,
    ...(firingsLeftOut !== undefined && { firingsLeftOut }),
    ...(result.readError !== undefined && {
      brokeAt: {
        byte: result.readError.offset,
        line: result.readError.line,
        error: result.readError.message,
      },
    }),
  };
}
