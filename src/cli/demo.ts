// `npm run demo`: replay the bundled training runs through the bundled automations and show what fired and why.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Automation, createEngine, type Firing, isDefinitionError, parseAutomation } from '../index.js';
import { RecordingSink, VirtualClock } from '../testing/index.js';
import {
  describeEvidence,
  describeFilter,
  describeIssue,
  describeScope,
  duration,
  isoTime,
  runNameOf,
} from './describe.js';
import { formatTable } from './format-table.js';

const example = (file: string): string => fileURLToPath(new URL(`./example/${file}`, import.meta.url));
const RUNS = example('runs.jsonl');
const AUTOMATIONS = example('automations.json');

// Every event carries its own time, so the clock only stamps the automations' createdAt.
const clock = new VirtualClock(Date.parse('2026-03-01T10:00:00Z'));
const audit = new RecordingSink();
const engine = createEngine({ clock, integrations: { audit } });

const definitions: unknown = JSON.parse(await readFile(AUTOMATIONS, 'utf8'));
if (!Array.isArray(definitions)) throw new Error(`${AUTOMATIONS}: expected a JSON array of automations`);
const automations = new Map<string, Automation>();
for (const [i, definition] of definitions.entries()) {
  try {
    const saved = engine.save(parseAutomation(definition));
    automations.set(saved.id, saved);
  } catch (error) {
    if (!isDefinitionError(error)) throw error;
    console.error(`automations.json[${i}]: ${error.message}`);
    process.exit(1);
  }
}

// Ingest is synchronous, so whatever errors$ reports belongs to the line being ingested.
const problems: string[] = [];
let lineNo = 0;
engine.errors$.subscribe((issue) => problems.push(`line ${lineNo}: ${describeIssue(issue)}`));

const firings: Firing[] = [];
const lines = createInterface({ input: createReadStream(RUNS), crlfDelay: Number.POSITIVE_INFINITY });
for await (const line of lines) {
  lineNo += 1;
  if (line.trim() === '') continue;
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    problems.push(`line ${lineNo}: not JSON, skipped: ${line.slice(0, 48)}…`);
    continue;
  }
  const duplicates = engine.stats().duplicates;
  firings.push(...engine.ingest(event));
  if (engine.stats().duplicates > duplicates) {
    const { id } = event as { id: string };
    problems.push(`line ${lineNo}: duplicate event ${id} (source and id seen before), ignored`);
  }
}
const stats = engine.stats();
await engine.close();

const out = (text = ''): void => console.log(text);
const cwdPath = (path: string): string => relative(process.cwd(), path);
out(`ml-automations demo: ${cwdPath(RUNS)} (${lineNo} lines) through ${cwdPath(AUTOMATIONS)}`);
out('Replayed on event time: cooldowns count from each firing, as they would have live.');

out('\nAutomations');
const rows = [...automations.values()].map((a) => [
  a.name,
  a.scope === undefined ? 'everything' : describeScope(a.scope),
  a.event.type === 'OnRunMetric' ? describeFilter(a.event.filter) : a.event.type,
  'runFilter' in a.event && a.event.runFilter?.runName !== undefined
    ? `runName ~ /${a.event.runFilter.runName}/`
    : '',
  duration(a.cooldownMs),
  a.action.type,
]);
for (const l of formatTable(
  ['name', 'scope', 'OnRunMetric filter', 'run filter', 'cooldown', 'action'],
  rows,
))
  out(l);

out('\nInput problems (reported, skipped; the stream goes on)');
for (const p of problems) out(`  ${p}`);

out('\nFirings');
const firingRows = firings.map((f) => {
  const automation = automations.get(f.automationId);
  const filter = automation?.event.type === 'OnRunMetric' ? automation.event.filter : undefined;
  const { test, window } =
    filter !== undefined && f.evidence !== undefined
      ? describeEvidence(filter, f.evidence)
      : { test: '', window: '' };
  return [isoTime(f.time), f.automationName, runNameOf(f), f.evidence?.metric ?? '', test, window];
});
for (const l of formatTable(
  ['time', 'automation', 'run', 'metric', 'why', 'window (oldest first)'],
  firingRows,
))
  out(l);

out('\nPer automation');
const summary = [...automations.values()].map((a) => {
  const mine = firings.filter((f) => f.automationId === a.id);
  const runs = [...new Set(mine.map(runNameOf))];
  return [a.name, String(mine.length), String(stats.byAutomation[a.id]?.suppressed ?? 0), runs.join(', ')];
});
for (const l of formatTable(['automation', 'firings', 'suppressed by cooldown', 'runs'], summary)) out(l);
out(`  delivered to the 'audit' RecordingSink: ${audit.firings.length} (DoNothing actions deliver nothing)`);

out('\nEngine stats');
const { received, accepted, rejected, duplicates, stale, runs, series } = stats;
out(`  events received ${received}, accepted ${accepted}, rejected ${rejected}, duplicates ${duplicates}`);
out(
  `  stale values ${stale}, firings ${stats.firings}, suppressed ${stats.suppressed}, runs ${runs}, series ${series}`,
);
