import type { Firing } from '../../core/firing.js';
import type { SendNotification, Severity } from '../../schema/actions.js';
import { digestHeading, digestLines } from '../firing-text.js';
import type { SlackMessage } from './slack.js';
import { escapeMrkdwn, fitBlocks, SLACK_LIMITS, type SlackBlock, truncate } from './slack-limits.js';
import { renderTemplate, templateVariables } from './templates.js';

const EMOJI: Readonly<Record<Severity, string>> = { INFO: 'ℹ️', WARN: '⚠️', ERROR: '🚨' };
const COLOR: Readonly<Record<Severity, string>> = { INFO: '#439FE0', WARN: '#ECB22E', ERROR: '#E01E5A' };

/** Lines packed into as few sections as Slack's section limit allows. */
function sections(lines: readonly string[]): SlackBlock[] {
  const out: SlackBlock[] = [];
  let text = '';
  for (const line of lines) {
    const next = text === '' ? line : `${text}\n${line}`;
    if (next.length > SLACK_LIMITS.sectionText && text !== '') {
      out.push({ type: 'section', text: { type: 'mrkdwn', text } });
      text = truncate(line, SLACK_LIMITS.sectionText);
    } else text = truncate(next, SLACK_LIMITS.sectionText);
  }
  if (text !== '') out.push({ type: 'section', text: { type: 'mrkdwn', text } });
  return out;
}

/**
 * A digest's Slack message: the title (rendered with the first firing's variables), how many fired, then one
 * line per firing (its time and the message rendered with its own variables), at most 100, then a count.
 */
export function renderSlackDigest(firing: Firing, action: SendNotification): SlackMessage {
  const emoji = EMOJI[action.severity];
  const title = renderTemplate(action.title, templateVariables(firing)) || firing.automationName;
  const heading = digestHeading(firing);
  const lines = digestLines(firing, action.message).map((line) => `• ${escapeMrkdwn(line)}`);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${emoji} ${title}`, 150), emoji: true } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(heading) }] },
    ...sections(lines),
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Digest ${firing.id}` }] },
  ];
  return {
    text: truncate(`${emoji} ${escapeMrkdwn(title)}: ${escapeMrkdwn(heading)}`, SLACK_LIMITS.text),
    blocks: fitBlocks(blocks),
    attachments: [{ color: COLOR[action.severity] }],
  };
}
