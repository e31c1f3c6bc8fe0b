import type { Automation } from '../index.js';
import {
  describeFilter,
  describeFiring,
  describeScope,
  duration,
  isoTime,
  runNameOf,
  simpleRunFilter,
} from './describe.js';
import { formatTable } from './format-table.js';
import type { ReplayResult } from './replay-types.js';
import { eventsRecord, firingRecord, summarize, summaryRecord } from './summary.js';

export type OutputContext = {
  /** The automations file, as given. */
  readonly automationsFile: string;
  /** Where the report was written, if it was. */
  readonly report?: string;
  /** List at most `count` firings; `option` is how the user asked (`--limit 10`, `--quiet`). */
  readonly limit?: { readonly count: number; readonly option: string };
};

/** How many firings the output lists, and how many it leaves out (undefined: no limit was asked for). */
function listed(result: ReplayResult, context: OutputContext): { shown: number; leftOut?: number } {
  if (context.limit === undefined) return { shown: result.firings.length };
  const shown = Math.min(context.limit.count, result.firings.length);
  return { shown, leftOut: result.fired - shown };
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`): string => `${fmt(n)} ${n === 1 ? one : many}`;

function watches(a: Automation): string {
  const e = a.event;
  if (e.type === 'OnRunMetric') return describeFilter(e.filter);
  if (e.type === 'OnRunState') {
    const states = `state in ${e.states.join(', ')}`;
    const c = e.count;
    return c === undefined ? states : `${states}: ${c.atLeast} runs per ${c.per} in ${duration(c.withinMs)}`;
  }
  if (e.type === 'OnRunStalled') return `no ${e.metric ?? 'row'} for ${duration(e.forMs)}`;
  if (e.type === 'OnSchedule') return `cron ${e.cron} ${e.timezone}`;
  return e.type;
}

function runFilterOf(a: Automation): string {
  const given = 'runFilter' in a.event ? a.event.runFilter : undefined;
  if (given === undefined) return '';
  const f = simpleRunFilter(given);
  if (f === undefined) return JSON.stringify(given);
  return [
    f.user === undefined ? '' : `user ${f.user}`,
    f.runName === undefined ? '' : `runName ~ /${f.runName}/`,
  ]
    .filter((s) => s !== '')
    .join(', ');
}

function skipped(result: ReplayResult): string {
  const c = result.counts;
  const parts = [
    c.notJson > 0 ? `${plural(c.notJson, 'line')} not JSON` : '',
    c.rejected > 0 ? `${plural(c.rejected, 'event')} rejected` : '',
    c.duplicates > 0 ? plural(c.duplicates, 'duplicate') : '',
    c.stale > 0 ? plural(c.stale, 'stale value') : '',
    c.outOfRange > 0 ? `${plural(c.outOfRange, 'event')} outside --from/--to` : '',
  ].filter((p) => p !== '');
  return parts.length === 0 ? 'nothing' : parts.join(', ');
}

function deliveries(result: ReplayResult): string {
  const d = result.deliveries;
  if (d.mode === 'sent') {
    const parts = Object.entries(d.byStatus).map(([status, n]) => `${status} ${n}`);
    return `sent (--deliver): ${parts.length === 0 ? 'nothing to send' : parts.join(', ')}`;
  }
  const parts = Object.entries(d.byIntegration).map(([name, n]) => `${name} ${n}`);
  return parts.length === 0
    ? 'none to send (DoNothing actions only)'
    : `recorded, not sent: ${parts.join(', ')} (--deliver sends them)`;
}

/** The summary as text: what was read, per automation, then each firing with its evidence. */
export function tableOutput(result: ReplayResult, context: OutputContext): string[] {
  const c = result.counts;
  const range =
    result.first === undefined || result.last === undefined
      ? ''
      : `, ${isoTime(result.first)} → ${isoTime(result.last)}`;
  const out = [
    `ml-automations replay: ${result.source} through ${context.automationsFile}`,
    `  events       ${fmt(c.read)} read, ${fmt(c.accepted)} replayed on event time${range}; ${runs(result)}`,
    `  skipped      ${skipped(result)}${c.notJson + c.rejected + c.duplicates + c.stale > 0 ? ' (line numbers on stderr)' : ''}`,
    `  actions      ${deliveries(result)}`,
  ];
  if (context.report !== undefined) out.push(`  report       ${context.report}`);

  out.push('', 'Automations');
  const defs = result.automations.map((a) => [
    a.name,
    a.scope === undefined ? 'everything' : describeScope(a.scope),
    watches(a),
    runFilterOf(a),
    duration(a.cooldownMs),
    a.enabled ? a.action.type : `${a.action.type} (disabled)`,
  ]);
  out.push(...formatTable(['automation', 'scope', 'watches', 'run filter', 'cooldown', 'action'], defs));

  out.push('', 'Per automation');
  const rows = summarize(result).map((s) => [
    s.name,
    String(s.firings),
    String(s.suppressed),
    s.firstFiring === undefined ? '—' : isoTime(s.firstFiring),
    s.lastFiring === undefined ? '—' : isoTime(s.lastFiring),
    s.runsAffected <= 3 && s.runsAffected > 0
      ? `${s.runsAffected}: ${s.runs.join(', ')}`
      : String(s.runsAffected),
  ]);
  out.push(
    ...formatTable(
      ['automation', 'firings', 'suppressed by cooldown', 'first firing', 'last firing', 'runs affected'],
      rows,
    ),
  );

  const { shown, leftOut = 0 } = listed(result, context);
  const option = context.limit?.option ?? '';
  if (result.fired === 0) out.push('', 'Firings: none');
  else if (shown === 0) out.push('', `Firings: ${fmt(result.fired)}, not listed (${option})`);
  else {
    out.push(
      '',
      leftOut > 0 ? `Firings: the first ${fmt(shown)} of ${fmt(result.fired)} (${option})` : 'Firings',
    );
    const byId = new Map(result.automations.map((a) => [a.id, a]));
    const firingRows = result.firings.slice(0, shown).map((f) => {
      const d = describeFiring(f, byId.get(f.automationId));
      return [isoTime(f.time), f.automationName, runNameOf(f), d.subject, d.why, d.window];
    });
    out.push(...formatTable(['time', 'automation', 'run', 'on', 'why', 'window (oldest first)'], firingRows));
    if (leftOut > 0) out.push(`  … ${plural(leftOut, 'more firing')} not listed (${option})`);
  }
  return out;
}

function runs(result: ReplayResult): string {
  const { count, exact } = result.runs;
  return exact ? plural(count, 'run') : `about ${plural(count, 'run')} (estimated)`;
}

/** The whole result as one JSON document. */
export function jsonOutput(result: ReplayResult, context: OutputContext): string {
  const byId = new Map(result.automations.map((a) => [a.id, a]));
  const { shown, leftOut } = listed(result, context);
  return JSON.stringify(
    {
      events: eventsRecord(result, leftOut),
      automations: summarize(result).map(summaryRecord),
      firings: result.firings.slice(0, shown).map((f) => firingRecord(f, byId.get(f.automationId))),
      problems: result.problems,
      deliveries: result.deliveries,
    },
    null,
    2,
  );
}

/** The records `--format jsonl` writes after the firings: one per automation, then the totals. */
export function jsonlTail(result: ReplayResult, context: OutputContext): string[] {
  // The firings were streamed as they happened, the first `limit` of them.
  const leftOut = context.limit === undefined ? undefined : Math.max(0, result.fired - context.limit.count);
  return [
    ...summarize(result).map((s) => JSON.stringify({ kind: 'automation', ...summaryRecord(s) })),
    JSON.stringify({ kind: 'events', ...eventsRecord(result, leftOut), deliveries: result.deliveries }),
  ];
}
