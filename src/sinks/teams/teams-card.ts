import type { Firing } from '../../core/firing.js';
import type { SendTeamsMessage } from '../../schema/destination-actions.js';
import type { JsonValue } from '../../schema/json-value.js';
import { digestHeading, digestLines, firingFacts } from '../firing-text.js';
import { renderTemplate, templateVariables } from '../http/templates.js';

type Severity = SendTeamsMessage['severity'];

const EMOJI: Readonly<Record<Severity, string>> = { INFO: 'ℹ️', WARN: '⚠️', ERROR: '🚨' };
/** Adaptive Card text colours by severity. */
const COLOR: Readonly<Record<Severity, string>> = { INFO: 'Accent', WARN: 'Warning', ERROR: 'Attention' };
/** Long values are cut: Teams refuses messages over about 28 KB. */
const MAX_TEXT = 2000;

const cut = (text: string, max = MAX_TEXT): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;
const text = (value: string, extra: Record<string, JsonValue> = {}): JsonValue => ({
  type: 'TextBlock',
  text: cut(value),
  wrap: true,
  ...extra,
});

/** The card's body: the title, the message, the facts and the evidence (or a digest's list), a footer. */
function body(firing: Firing, action: SendTeamsMessage): JsonValue[] {
  const vars = templateVariables(firing);
  const title = renderTemplate(action.title, vars) || firing.automationName;
  const heading = text(`${EMOJI[action.severity]} ${title}`, {
    size: 'Large',
    weight: 'Bolder',
    style: 'heading',
    color: COLOR[action.severity],
  });
  const footer = (label: string): JsonValue =>
    text(`${label} ${firing.id}`, { size: 'Small', isSubtle: true });
  if (firing.digest !== undefined) {
    const lines = digestLines(firing, action.message).map((line) =>
      text(`• ${cut(line, 300)}`, { spacing: 'None' }),
    );
    return [heading, text(digestHeading(firing), { isSubtle: true }), ...lines, footer('Digest')];
  }
  const message = renderTemplate(action.message, vars);
  const facts = [['Severity', action.severity] as const, ...firingFacts(firing)].map(([title, value]) => ({
    title,
    value: cut(value, 500),
  }));
  return [
    heading,
    ...(message.trim() === '' ? [] : [text(message)]),
    { type: 'FactSet', facts },
    footer('Firing'),
  ];
}

/**
 * What a Teams workflow webhook takes: a `message` whose one attachment is an Adaptive Card (1.4) showing
 * the title, the message, the severity and the evidence.
 */
export function renderTeamsMessage(firing: Firing, action: SendTeamsMessage): JsonValue {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body: body(firing, action),
        },
      },
    ],
  };
}
