/** Slack's documented limits for an incoming-webhook message with Block Kit blocks. */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  /** A table block: rows (the header included) and cells per row. */
  tableRows: 100,
  tableCells: 20,
  /** The top-level `text`: Slack advises at most 4,000 characters and truncates longer messages. */
  text: 4000,
} as const;

export const ELLIPSIS = '…';

/** Text no longer than `max` UTF-16 units, ending in `…` when cut; never splits a surrogate pair or an entity. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let head = text.slice(0, Math.max(max - ELLIPSIS.length, 0));
  const last = head.charCodeAt(head.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) head = head.slice(0, -1);
  // A cut inside `&amp;` / `&lt;` / `&gt;` would leave a broken entity: drop its start.
  head = head.replace(/&[a-z]{0,3}$/, '');
  return `${head}${ELLIPSIS}`;
}

/** Slack mrkdwn's three control characters; anything else in mrkdwn is formatting the reader may want. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export type MrkdwnText = { readonly type: 'mrkdwn'; readonly text: string };
export type PlainText = { readonly type: 'plain_text'; readonly text: string; readonly emoji: true };

export type SlackBlock =
  | { readonly type: 'header'; readonly text: PlainText }
  | { readonly type: 'section'; readonly text: MrkdwnText }
  | { readonly type: 'section'; readonly fields: readonly MrkdwnText[] }
  | { readonly type: 'context'; readonly elements: readonly MrkdwnText[] }
  | { readonly type: 'table'; readonly rows: readonly (readonly RawText[])[] };

export type RawText = { readonly type: 'raw_text'; readonly text: string };

const mrkdwn = (text: string, max: number): MrkdwnText => ({ type: 'mrkdwn', text: truncate(text, max) });

function fitBlock(block: SlackBlock): SlackBlock {
  if (block.type === 'header') {
    return {
      type: 'header',
      text: { ...block.text, text: truncate(block.text.text, SLACK_LIMITS.headerText) },
    };
  }
  if (block.type === 'context') {
    const elements = block.elements.slice(0, SLACK_LIMITS.contextElements);
    return { type: 'context', elements: elements.map((e) => mrkdwn(e.text, SLACK_LIMITS.contextText)) };
  }
  if (block.type === 'table') {
    const rows = block.rows.slice(0, SLACK_LIMITS.tableRows);
    return { type: 'table', rows: rows.map((row) => row.slice(0, SLACK_LIMITS.tableCells)) };
  }
  if ('fields' in block) {
    const fields = block.fields.slice(0, SLACK_LIMITS.fields);
    return { type: 'section', fields: fields.map((f) => mrkdwn(f.text, SLACK_LIMITS.fieldText)) };
  }
  return { type: 'section', text: mrkdwn(block.text.text, SLACK_LIMITS.sectionText) };
}

/** The same blocks cut to fit every limit: texts truncated, field and element lists clamped, 50 blocks. */
export function fitBlocks(blocks: readonly SlackBlock[]): SlackBlock[] {
  const fitted = blocks.map(fitBlock);
  if (fitted.length <= SLACK_LIMITS.blocks) return fitted;
  const dropped = fitted.length - SLACK_LIMITS.blocks + 1;
  return [
    ...fitted.slice(0, SLACK_LIMITS.blocks - 1),
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${ELLIPSIS} ${dropped} more blocks left out` }] },
  ];
}
