import type { Automation, Firing } from '../../index.js';
import { describeFilter, describeFiring, describeScope, duration, isoTime, runNameOf } from '../describe.js';
import { runKeyOf } from '../run-key.js';
import { summarize } from '../summary.js';
import { escapeHtml as h, scriptJson } from './escape-html.js';
import { ordinal } from './ordinal.js';
import type { ReportData, RunData } from './report-data.js';
import { REPORT_SCRIPT } from './report-script.js';
import { REPORT_STYLE } from './report-style.js';

export type RenderOptions = {
  /** Wall time the report was made, epoch ms. */
  readonly generatedAt: number;
  /** The automations file, as given. */
  readonly automationsFile: string;
};

/** Automation colours, distinguishable and readable on white. */
const COLORS = ['#0969da', '#cf222e', '#8250df', '#1a7f37', '#bc4c00', '#d4a72c', '#1b7c83', '#bf3989'];
/** The firings table shows at most this many rows (`--format jsonl` lists them all). */
export const MAX_FIRING_ROWS = 10_000;

const colorOf = (i: number): string => COLORS[i % COLORS.length] as string;
const fmt = (n: number): string => n.toLocaleString('en-US');
const when = (ms: number): string => (Number.isFinite(ms) ? isoTime(ms) : '—');

function aggregateLabel(a: Automation): string {
  const e = a.event;
  if (e.type !== 'OnRunMetric') return e.type;
  const f = e.filter;
  switch (f.type) {
    case 'MetricThresholdFilter':
      return f.agg === undefined ? 'value' : `${f.agg}(${f.window})`;
    case 'MetricChangeFilter':
      return `${f.agg}(${f.currentWindow}) vs ${f.agg}(${f.priorWindow}) before`;
    case 'MetricZScoreFilter':
      return `mean of ${f.window} before (z ≥ ${f.threshold})`;
    case 'MetricNonFiniteFilter':
      return 'NaN or ±Infinity';
  }
}

function watches(a: Automation): string {
  const e = a.event;
  if (e.type === 'OnRunMetric') return describeFilter(e.filter);
  if (e.type === 'OnRunState') return `run state ${e.states.join(' | ')}`;
  return e.type;
}

function automationsTable(data: ReportData): string {
  const { result } = data;
  const rows = summarize(result).map((s, i) => {
    const a = result.automations[i] as Automation;
    return `<tr>
<td class="nowrap"><span class="swatch" style="background:${colorOf(i)}"></span>${h(s.name)}${a.enabled ? '' : ' <span class="muted">(disabled)</span>'}</td>
<td class="watch">${h(watches(a))}</td><td>${h(a.scope === undefined ? 'everything' : describeScope(a.scope))}</td>
<td data-v="${a.cooldownMs}">${h(duration(a.cooldownMs))}</td>
<td class="num">${s.firings}</td><td class="num">${s.suppressed}</td>
<td class="time" data-v="${s.firstFiring ?? ''}">${s.firstFiring === undefined ? '—' : isoTime(s.firstFiring)}</td>
<td class="time" data-v="${s.lastFiring ?? ''}">${s.lastFiring === undefined ? '—' : isoTime(s.lastFiring)}</td>
<td class="num">${s.runsAffected}</td></tr>`;
  });
  return `<div class="table-wrap"><table class="sortable" id="automation-table"><thead><tr><th>automation</th><th>watches</th><th>scope</th>
<th data-type="num">cooldown</th><th class="num">firings</th><th class="num">suppressed by cooldown</th>
<th data-type="num">first firing</th><th data-type="num">last firing</th><th class="num">runs affected</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>`;
}

/** The run's firings that no chart shows (run state changes), as a list in its card. */
function listedFirings(run: RunData, automations: readonly Automation[]): string {
  if (run.listed.length === 0) return '';
  const items = run.listed.map((l) => {
    const name = automations[l.automation]?.name ?? '';
    return `<li><span class="swatch" style="background:${colorOf(l.automation)}"></span><span class="time">${isoTime(l.time)}</span> <b>${h(name)}</b> fired: ${h(l.why)}</li>`;
  });
  const more = run.notListed > 0 ? `<li class="muted">… ${fmt(run.notListed)} more</li>` : '';
  return `<ul class="run-firings">
${items.join('\n')}${more}
</ul>`;
}

function runItem(run: RunData, i: number, automations: readonly Automation[]): string {
  const search = [run.name, run.runId, run.user ?? '', run.entity, run.project].join(' ').toLowerCase();
  const state = run.state === undefined ? '' : `<span class="state ${h(run.state)}">${h(run.state)}</span>`;
  const fired = run.firings > 0 ? `<span class="fired">${fmt(run.firings)} fired</span> · ` : '';
  return `<details class="run" id="run-${i}" data-run="${i}" data-fired="${run.firings}" data-search="${h(search)}">
<summary><span class="name">${h(run.name)}</span><span class="muted">${h(`${run.entity}/${run.project}/${run.runId}`)}</span>${run.user === undefined ? '' : `<span class="muted">${h(run.user)}</span>`}${state}<span class="muted">${when(run.first)} → ${when(run.last)}</span><span class="counts">${fired}${fmt(run.suppressed)} suppressed · ${fmt(run.events)} events · ${run.series.length} ${run.series.length === 1 ? 'chart' : 'charts'}</span></summary>
${listedFirings(run, automations)}<div class="charts"><p class="empty">Drawing…</p></div></details>`;
}

function firingRow(
  f: Firing,
  automation: Automation | undefined,
  index: number,
  runIndex: number | undefined,
): string {
  const d = describeFiring(f, automation);
  const run = runNameOf(f);
  const runCell = runIndex === undefined ? h(run) : `<a href="#run-${runIndex}">${h(run)}</a>`;
  const value = f.evidence?.value;
  return `<tr><td class="time" data-v="${f.time}">${isoTime(f.time)}</td>
<td class="nowrap" data-v="${h(f.automationName)}"><span class="swatch" style="background:${colorOf(index)}"></span>${h(f.automationName)}</td>
<td>${runCell}</td><td>${h(d.subject)}</td>
<td class="num" data-v="${value ?? ''}">${value === undefined ? '' : h(String(Number(value.toPrecision(6))))}</td>
<td>${h(d.why)}</td><td class="muted">${h(d.window)}</td></tr>`;
}

function firingsTable(data: ReportData): string {
  const { result } = data;
  const index = new Map(result.automations.map((a, i) => [a.id, i]));
  const runIndex = new Map(data.runs.map((r, i) => [r.key, i]));
  const shown = result.firings.slice(0, MAX_FIRING_ROWS);
  const rows = shown.map((f) => {
    const i = index.get(f.automationId) ?? 0;
    const key = runKeyOf(f);
    return firingRow(f, result.automations[i], i, key === undefined ? undefined : runIndex.get(key));
  });
  const note =
    result.firings.length > shown.length
      ? `<p class="muted">The first ${fmt(shown.length)} of ${fmt(result.firings.length)} firings; <code>--format jsonl</code> lists them all.</p>`
      : '';
  if (result.firings.length === 0) return '<p class="empty">Nothing fired.</p>';
  return `${note}<div class="table-wrap"><table class="sortable" id="firing-table"><thead><tr><th data-type="num">time</th><th>automation</th>
<th>run</th><th>on</th><th class="num">value</th><th>why</th><th>window (oldest first)</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>`;
}

function cards(data: ReportData): string {
  const { result } = data;
  const c = result.counts;
  const skipped = c.notJson + c.rejected + c.duplicates + c.outOfRange;
  const card = (value: number, label: string): string =>
    `<div class="card"><b>${fmt(value)}</b><span>${label}</span></div>`;
  return `<div class="cards">${[
    card(c.accepted, 'events replayed'),
    card(data.runs.length, 'runs'),
    card(result.stats.firings, 'firings'),
    card(result.stats.suppressed, 'suppressed by cooldown'),
    card(skipped, 'events skipped'),
    card(c.stale, 'stale values'),
  ].join('')}</div>`;
}

/** The report as one self-contained HTML file: no network, no CDN; styles, data and script inline. */
export function renderReport(data: ReportData, options: RenderOptions): string {
  const { result } = data;
  const range =
    result.first === undefined || result.last === undefined
      ? ''
      : ` · events from ${isoTime(result.first)} to ${isoTime(result.last)}`;
  const client = {
    automations: result.automations.map((a, i) => ({
      name: a.name,
      color: colorOf(i),
      aggregate: aggregateLabel(a),
    })),
    // The ordinal is worded here, so that the page's script needs no English rules of its own.
    runs: data.runs.map((r) => ({
      series: r.series.map((s) => (s.stride > 1 ? { ...s, nth: ordinal(s.stride) } : s)),
    })),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>Replay report · ml-automations</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header>
<h1>Replay report</h1>
<p class="meta">Events <code>${h(result.source)}</code> through automations <code>${h(options.automationsFile)}</code>${range} · generated ${isoTime(Math.floor(options.generatedAt / 1000) * 1000)} by ml-automations</p>
${cards(data)}
<nav><a href="#automations">Automations</a><a href="#runs">Runs</a><a href="#firings">Firings</a></nav>
</header>
<main>
<section id="automations"><h2>Automations <small>firings and cooldown-suppressed matches, on event time</small></h2>
${automationsTable(data)}</section>
<section id="runs"><h2>Runs <small>${fmt(data.runs.length)}, most firings first; open one to draw its charts</small></h2>
<div class="controls"><input type="search" id="run-filter" placeholder="Filter by run name, id or user" aria-label="Filter runs">
<label><input type="checkbox" id="fired-only"> only runs that fired</label>
<button type="button" id="open-fired">Open the first 10 runs that fired</button><span class="muted" id="runs-shown"></span></div>
<div id="run-list">
${data.runs.map((r, i) => runItem(r, i, result.automations)).join('\n')}
</div></section>
<section id="firings"><h2>Firings <small>${fmt(result.firings.length)}; click a header to sort</small></h2>
${firingsTable(data)}</section>
</main>
<footer>Charts: the values (grey), each automation's window aggregate (dashed) and threshold or bounds (dotted) in its colour; ● a firing, ▼ a firing on a NaN or ±Infinity value, a shaded band over matches in a row that the cooldown suppressed; "log y" puts a chart on a log scale. Firings no chart shows (run state changes) are listed in their run.</footer>
<script type="application/json" id="report-data">${scriptJson(client)}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}
