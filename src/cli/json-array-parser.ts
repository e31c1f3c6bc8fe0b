import { preview, type ReadItem } from './read-item.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

const isSpace = (c: number): boolean =>
  c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09 || c === 0xfeff;

/**
 * Streams the elements of one top-level JSON array, chunk by chunk: memory holds one element, never the array.
 * Elements are delimited structurally (strings, brackets, commas), so a bad element is reported with the line
 * it starts on and skipped, and the next one still parses.
 */
export class JsonArrayParser {
  #line = 1;
  /** Bracket depth: 0 before the opening `[`, 1 between top-level elements. */
  #depth = 0;
  #inString = false;
  #escape = false;
  #ended = false;
  #trailingReported = false;
  #started = false;
  #sawComma = false;
  /** The line the current element starts on; 0 while between elements. */
  #elementLine = 0;
  #parts: string[] = [];

  /** Feed the next chunk of text; returns the elements it completed. */
  push(chunk: string): ReadItem[] {
    const out: ReadItem[] = [];
    let start = this.#elementLine === 0 ? -1 : 0; // where the current element's text begins in this chunk
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === NEWLINE) this.#line += 1;
      if (this.#ended) {
        if (!isSpace(c) && !this.#trailingReported) {
          this.#trailingReported = true;
          out.push({ ok: false, line: this.#line, message: 'text after the end of the JSON array, ignored' });
        }
      } else if (this.#depth === 0) {
        if (c === OPEN_BRACKET) this.#depth = 1;
        else if (!isSpace(c)) {
          this.#ended = true;
          this.#trailingReported = true;
          out.push({ ok: false, line: this.#line, message: 'expected a JSON array' });
        }
      } else if (this.#inString) {
        if (this.#escape) this.#escape = false;
        else if (c === BACKSLASH) this.#escape = true;
        else if (c === QUOTE) this.#inString = false;
      } else if (this.#elementLine === 0) {
        // Between elements: whitespace, a comma, the end, or the first character of the next element.
        if (c === COMMA) {
          if (this.#sawComma || !this.#started) out.push(this.#emptyElement());
          this.#sawComma = true;
        } else if (c === CLOSE_BRACKET) {
          if (this.#sawComma) out.push(this.#emptyElement());
          this.#ended = true;
        } else if (!isSpace(c)) {
          this.#elementLine = this.#line;
          this.#started = true;
          this.#sawComma = false;
          start = i;
          this.#enter(c);
        }
      } else if (this.#depth === 1 && (c === COMMA || c === CLOSE_BRACKET)) {
        this.#parts.push(chunk.slice(start, i));
        out.push(this.#flush());
        start = -1;
        if (c === COMMA) this.#sawComma = true;
        else this.#ended = true;
      } else this.#enter(c);
    }
    if (start >= 0 && this.#elementLine !== 0) this.#parts.push(chunk.slice(start));
    return out;
  }

  /** The input ended: report an array or element left open. */
  end(): ReadItem[] {
    if (this.#ended) return [];
    if (this.#depth === 0)
      return [{ ok: false, line: this.#line, message: 'expected a JSON array, found nothing' }];
    const line = this.#elementLine === 0 ? this.#line : this.#elementLine;
    this.#parts = [];
    this.#ended = true;
    return [
      {
        ok: false,
        line,
        message: 'the input ended inside the JSON array: an element or the array is not closed',
      },
    ];
  }

  #enter(c: number): void {
    if (c === QUOTE) this.#inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.#depth += 1;
    // A stray closer inside an element stays in its text (JSON.parse reports it); it never ends the array.
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && this.#depth > 1) this.#depth -= 1;
  }

  #emptyElement(): ReadItem {
    return {
      ok: false,
      line: this.#line,
      message: 'empty array element (two commas, or a comma before `]`)',
    };
  }

  #flush(): ReadItem {
    const text = this.#parts.join('');
    const line = this.#elementLine;
    this.#parts = [];
    this.#elementLine = 0;
    try {
      return { ok: true, line, value: JSON.parse(text) };
    } catch (error) {
      return { ok: false, line, message: `not JSON (${(error as Error).message}): ${preview(text)}` };
    }
  }
}
