// Reads the parts of a Markdown file the docs tests check: fenced code blocks, links and headings.

/** A fenced code block; `line` is the 1-based line of its first line of code. */
export type CodeBlock = { readonly lang: string; readonly line: number; readonly code: string };

/** A link or image target written in the text (outside code), with its 1-based line. */
export type Link = { readonly target: string; readonly line: number };

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;

/** A closing fence: the opening's characters, at least as many, and nothing else. */
function closes(line: string, fence: string): boolean {
  const t = line.trim();
  return t.startsWith(fence) && t.replaceAll(fence[0] ?? '`', '') === '';
}

/** Every fenced block, dedented by its fence's indentation (blocks inside list items). */
export function codeBlocks(text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '```', lang = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      if (closes(line, fence)) break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    blocks.push({ lang, line: i + 2, code: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** The text with fenced code blanked out, line numbers kept. */
function outsideFences(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    if (fence !== undefined) {
      if (closes(line, fence)) fence = undefined;
      return '';
    }
    const open = FENCE.exec(line);
    if (open) fence = open[2];
    return open ? '' : line;
  });
}

/** The text with all code blanked out, so links in code are not links. */
function prose(text: string): string[] {
  return outsideFences(text).map((line) => line.replace(/`[^`]*`/g, (m) => ' '.repeat(m.length)));
}

/** Inline links and images, reference definitions, HTML href/src, autolinks and bare URLs. */
export function links(text: string): Link[] {
  const found: Link[] = [];
  prose(text).forEach((line, i) => {
    const add = (target: string | undefined): void => {
      if (target !== undefined) found.push({ target, line: i + 1 });
    };
    for (const m of line.matchAll(/\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) add(m[1]);
    for (const m of line.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g)) add(m[1]);
    for (const m of line.matchAll(/\b(?:href|src)\s*=\s*["']([^"']*)["']/g)) add(m[1]);
    for (const m of line.matchAll(/<((?:https?|ftp|mailto):[^>\s]*)>/g)) add(m[1]);
    const rest = line.replace(/\]\([^)]*\)|<[^>]*>/g, '');
    for (const m of rest.matchAll(/\b(?:https?:\/\/|www\.)[^\s)]+/g)) add(m[0]);
  });
  return found;
}

/** GitHub's anchors for the headings of a Markdown file (duplicates get -1, -2, …). */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of outsideFences(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const raw = (heading[1] ?? '').toLowerCase();
    const slug = raw
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .trim()
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    result.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return result;
}
