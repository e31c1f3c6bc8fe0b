import type { Firing } from '../core/firing.js';
import {
  changeText,
  evidenceKind,
  formatNumber,
  lastValues,
  metricFilterText,
} from './http/evidence-text.js';
import { renderTemplate, templateVariables } from './http/templates.js';

/** How many of a window's values a message shows (the newest). */
const SHOWN_VALUES = 20;

/** An epoch-ms time as ISO 8601 (never throws: a time out of Date's range shows as its number). */
export function isoTime(ms: number): string {
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

/** One labelled fact about a firing, in plain text: what email, Teams and PagerDuty show. */
export type Fact = readonly [label: string, value: string];

/** What happened, in one line: `mean(5) accuracy > 0.6 (0.97) · run sweep-7`, `run r1 → failed`, `resnet:v3 +production`. */
export function firingSummary(firing: Firing): string {
  const v = templateVariables(firing);
  const parts: string[] = [];
  const e = firing.evidence;
  if (e !== undefined) parts.push(`${metricFilterText(e)} (${formatNumber(e.value)})`);
  if (firing.transition !== undefined) parts.push(`state ${firing.transition.to}`);
  const artifact = v['artifact_collection_name'] ?? '';
  if (artifact !== '') {
    const version = v['artifact_version'] ?? '';
    const change = v['alias'] ? ` alias ${v['alias']}` : v['tag'] ? ` tag ${v['tag']}` : '';
    parts.push(`${artifact}${version === '' ? '' : `:v${version}`}${change}`);
  }
  const run = v['run_name'] || v['run_id'] || '';
  if (run !== '') parts.push(`run ${run}`);
  if (parts.length === 0) parts.push(firing.event.type);
  return parts.join(' · ');
}

/** Where it happened and why it fired, as labelled facts (values as the event gave them, unescaped). */
export function firingFacts(firing: Firing): Fact[] {
  const v = templateVariables(firing);
  const get = (name: string): string => v[name] ?? '';
  const facts: Fact[] = [['Automation', firing.automationName]];
  if (get('entity_name') !== '') {
    const project = get('project_name') === '' ? '' : `/${get('project_name')}`;
    facts.push(['Project', `${get('entity_name')}${project}`]);
  }
  if (get('run_id') !== '') {
    facts.push(['Run', get('run_name') === '' ? get('run_id') : `${get('run_name')} (${get('run_id')})`]);
  }
  if (firing.transition !== undefined) {
    const from = firing.transition.from === undefined ? '' : `${firing.transition.from} → `;
    facts.push(['State', `${from}${firing.transition.to}`]);
  }
  if (get('artifact_collection_name') !== '') {
    const version = get('artifact_version') === '' ? '' : `:v${get('artifact_version')}`;
    facts.push(['Artifact', `${get('artifact_collection_name')}${version}`]);
  }
  if (get('alias') !== '') facts.push(['Alias', get('alias')]);
  if (get('tag') !== '') facts.push(['Tag', get('tag')]);
  const e = firing.evidence;
  if (e !== undefined) {
    facts.push(['Metric', `${e.metric} = ${formatNumber(e.value)}`], ['Condition', metricFilterText(e)]);
    const kind = evidenceKind(e);
    if (kind === 'threshold' && e.agg !== undefined)
      facts.push(['Aggregate', `${e.agg} = ${formatNumber(e.aggregate)}`]);
    if (kind === 'change') {
      const prior = formatNumber(e.prior?.aggregate ?? Number.NaN);
      facts.push(['Change', `${changeText(e)} (${formatNumber(e.aggregate)} vs ${prior})`]);
    }
    if (kind === 'zscore')
      facts.push(['Z-score', `${formatNumber(e.zscore ?? Number.NaN)} (μ ${formatNumber(e.aggregate)})`]);
    if (kind !== 'non-finite') facts.push(['Last values', lastValues(e.values, SHOWN_VALUES)]);
  }
  facts.push(['Event', `${firing.event.type} at ${isoTime(firing.time)}`]);
  return facts;
}

/**
 * A digest's lines, one per listed firing: its event time and `template` rendered with its own variables
 * (its summary when that is empty), then `… and N more` when the window held more than it lists.
 */
export function digestLines(digest: Firing, template: string): string[] {
  const d = digest.digest;
  if (d === undefined) return [];
  const lines = d.firings.map((f) => {
    const text = renderTemplate(template, templateVariables(f)).trim();
    return `${isoTime(f.time)} · ${text === '' ? firingSummary(f) : text}`;
  });
  if (d.count > d.firings.length) lines.push(`… and ${d.count - d.firings.length} more`);
  return lines;
}

/** `12 firings of accuracy-alert in 1 h`: a digest's heading. */
export function digestHeading(digest: Firing): string {
  const d = digest.digest;
  if (d === undefined) return digest.automationName;
  const n = d.count === 1 ? '1 firing' : `${d.count} firings`;
  return `${n} of ${digest.automationName} in ${windowText(d.windowMs)}`;
}

function windowText(ms: number): string {
  if (ms % 3600e3 === 0) return `${ms / 3600e3} h`;
  if (ms % 60e3 === 0) return `${ms / 60e3} min`;
  return `${formatNumber(ms / 1000)} s`;
}
