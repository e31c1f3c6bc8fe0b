import type { Firing } from '../../core/firing.js';
import type { SendEmail } from '../../schema/destination-actions.js';
import { digestHeading, digestLines, type Fact, firingFacts, firingSummary } from '../firing-text.js';
import { renderTemplate, templateVariables } from '../http/templates.js';
import type { MailMessage } from '../mail-transport.js';
import type { EmailIntegration } from './email-integration.js';

/** The five characters HTML gives meaning to. */
function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A subject is one line: a line break in a value must never start a new header. */
function oneLine(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .trim()
    .slice(0, 998);
}

const paragraph = (text: string): string =>
  text.trim() === '' ? '' : `<p>${escapeHtml(text).replaceAll('\n', '<br>')}</p>`;

function factTable(facts: readonly Fact[]): string {
  const rows = facts.map(
    ([label, value]) =>
      `<tr><th align="left" style="padding:2px 12px 2px 0">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
  );
  return `<table style="border-collapse:collapse;font-size:14px">${rows.join('')}</table>`;
}

const html = (inner: string, footer: string): string =>
  `<!doctype html><html><body style="font-family:sans-serif">${inner}<p style="color:#888;font-size:12px">${escapeHtml(footer)}</p></body></html>`;

/** One firing: the body, then the facts and the evidence (plain text and a small HTML table). */
function single(firing: Firing, action: SendEmail): Pick<MailMessage, 'subject' | 'text' | 'html'> {
  const vars = templateVariables(firing);
  const subject =
    renderTemplate(action.subject, vars) || `${firing.automationName}: ${firingSummary(firing)}`;
  const body = renderTemplate(action.body, vars);
  const facts = firingFacts(firing);
  const footer = `Firing ${firing.id}`;
  const text = [body.trim(), facts.map(([l, v]) => `${l}: ${v}`).join('\n'), footer]
    .filter((part) => part !== '')
    .join('\n\n');
  return {
    subject: oneLine(subject),
    text: `${text}\n`,
    html: html(paragraph(body) + factTable(facts), footer),
  };
}

/** A digest: the heading, then one line per firing (the body rendered with that firing's variables). */
function digest(firing: Firing, action: SendEmail): Pick<MailMessage, 'subject' | 'text' | 'html'> {
  const heading = digestHeading(firing);
  const subject = renderTemplate(action.subject, templateVariables(firing)) || heading;
  const lines = digestLines(firing, action.body);
  const footer = `Digest ${firing.id}`;
  const text = `${heading}\n\n${lines.map((l) => `- ${l}`).join('\n')}\n\n${footer}\n`;
  const list = `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`;
  return {
    subject: oneLine(subject),
    text,
    html: html(`<p><b>${escapeHtml(heading)}</b></p>${list}`, footer),
  };
}

/**
 * The email for one delivery at `now`: a plain-text part and a small HTML part showing the evidence.
 * `Message-ID` is the firing's id, the same on every retry; `Auto-Submitted` keeps auto-replies away.
 */
export function renderEmail(
  firing: Firing,
  action: SendEmail,
  integration: EmailIntegration,
  now: number,
): MailMessage {
  const parts = firing.digest === undefined ? single(firing, action) : digest(firing, action);
  return {
    from: integration.from,
    to: integration.to,
    ...parts,
    messageId: `<${firing.id}@ml-automations>`,
    date: now,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-ML-Automations-Firing': firing.id },
  };
}
