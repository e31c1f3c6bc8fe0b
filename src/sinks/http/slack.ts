import type { Firing, FiringSummary } from '../../core/firing.js';
import type { Evidence } from '../../filters/evidence.js';
import type { SendNotification, Severity } from '../../schema/actions.js';
import { changeText, evidenceKind, formatNumber, lastValues, metricFilterText } from './evidence-text.js';
import {
  escapeMrkdwn,
  fitBlocks,
  type MrkdwnText,
  type RawText,
  SLACK_LIMITS,
  type SlackBlock,
  truncate,
} from './slack-limits.js';
import { summaryTable } from './summary-table.js';
import { renderTemplate, type TemplateVariable, templateVariables } from './templates.js';

/** An incoming-webhook body: `text` is the notification and fallback, `blocks` the message. */
export type SlackMessage = {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
  /** Only for the severity colour bar: Block Kit itself has no colour. */
  readonly attachments: readonly [{ readonly color: string }];
};

const EMOJI: Readonly<Record<Severity, string>> = { INFO: 'ℹ️', WARN: '⚠️', ERROR: '🚨' };
const COLOR: Readonly<Record<Severity, string>> = { INFO: '#439FE0', WARN: '#ECB22E', ERROR: '#E01E5A' };

/** How many of the window's values a message shows (the newest). */
const SHOWN_VALUES = 20;

const field = (label: string, value: string): MrkdwnText => ({
  type: 'mrkdwn',
  text: `*${label}*\n${value}`,
});

function evidenceFields(e: Evidence): MrkdwnText[] {
  const fields = [
    field('Metric', `${escapeMrkdwn(e.metric)} = ${formatNumber(e.value)}`),
    field('Condition', escapeMrkdwn(metricFilterText(e))),
  ];
  const kind = evidenceKind(e);
  if (kind === 'threshold' && e.agg !== undefined) {
    fields.push(field('Aggregate', `${escapeMrkdwn(e.agg)} = ${formatNumber(e.aggregate)}`));
  } else if (kind === 'change') {
    const prior = formatNumber(e.prior?.aggregate ?? Number.NaN);
    fields.push(field('Change', `${changeText(e)} (${formatNumber(e.aggregate)} vs ${prior})`));
  } else if (kind === 'zscore') {
    fields.push(field('Z-score', `${formatNumber(e.zscore ?? Number.NaN)} (μ ${formatNumber(e.aggregate)})`));
  }
  if (kind !== 'non-finite') fields.push(field('Last values', lastValues(e.values, SHOWN_VALUES)));
  return fields;
}

/** Severity, automation, where it happened (run or artifact), then the evidence. Values are escaped. */
function detailFields(
  firing: Firing,
  severity: Severity,
  vars: Readonly<Record<string, string>>,
): MrkdwnText[] {
  const raw = (name: TemplateVariable): string => vars[name] ?? '';
  const x = (name: TemplateVariable): string => escapeMrkdwn(raw(name));
  const fields = [
    field('Severity', `${EMOJI[severity]} ${severity}`),
    field('Automation', x('automation_name')),
  ];
  if (raw('entity_name') !== '') {
    const project = raw('project_name') === '' ? '' : `/${x('project_name')}`;
    fields.push(field('Project', `${x('entity_name')}${project}`));
  }
  if (raw('run_id') !== '') {
    fields.push(field('Run', raw('run_name') === '' ? x('run_id') : `${x('run_name')} (${x('run_id')})`));
  }
  if (firing.transition !== undefined) {
    const from = firing.transition.from === undefined ? '' : `${firing.transition.from} → `;
    fields.push(field('State', `${from}${firing.transition.to}`));
  }
  if (raw('artifact_collection_name') !== '') {
    const version = raw('artifact_version') === '' ? '' : `:v${x('artifact_version')}`;
    fields.push(field('Artifact', `${x('artifact_collection_name')}${version}`));
  }
  if (raw('alias') !== '') fields.push(field('Alias', x('alias')));
  if (raw('tag') !== '') fields.push(field('Tag', x('tag')));
  if (firing.evidence !== undefined) fields.push(...evidenceFields(firing.evidence));
  return fields;
}

/** A schedule's summary as a Slack table (header and up to 99 runs), and a line for the runs left out. */
function summaryBlocks(summary: FiringSummary): SlackBlock[] {
  const table = summaryTable(summary).slice(0, SLACK_LIMITS.tableRows);
  const rows = table.map((row) => row.map((text): RawText => ({ type: 'raw_text', text: text || ' ' })));
  const left = summary.total - (table.length - 1);
  const blocks: SlackBlock[] = [{ type: 'table', rows }];
  if (left > 0)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `… and ${left} more runs` }] });
  return blocks;
}

/**
 * The Slack message for a SendNotification: a header (severity emoji and title), the message as mrkdwn, a
 * fields section with the details and the evidence, and a context line. Title and message are templates;
 * values from events are mrkdwn-escaped, the author's own text is not (so it may hold links and mentions).
 */
export function renderSlackMessage(firing: Firing, action: SendNotification): SlackMessage {
  const plain = templateVariables(firing);
  const escaped = Object.fromEntries(Object.entries(plain).map(([k, value]) => [k, escapeMrkdwn(value)]));
  const emoji = EMOJI[action.severity];
  const title = renderTemplate(action.title, plain) || firing.automationName;
  const message = renderTemplate(action.message, escaped);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `${emoji} ${title}`, emoji: true } },
  ];
  if (message.trim() !== '') blocks.push({ type: 'section', text: { type: 'mrkdwn', text: message } });
  blocks.push({ type: 'section', fields: detailFields(firing, action.severity, plain) });
  if (firing.summary !== undefined) blocks.push(...summaryBlocks(firing.summary));
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `Event ${escapeMrkdwn(firing.event.type)} · firing ${firing.id}` }],
  });
  const heading = `${emoji} ${renderTemplate(action.title, escaped) || escapeMrkdwn(firing.automationName)}`;
  return {
    text: truncate(message.trim() === '' ? heading : `${heading}: ${message}`, SLACK_LIMITS.text),
    blocks: fitBlocks(blocks),
    attachments: [{ color: COLOR[action.severity] }],
  };
}
