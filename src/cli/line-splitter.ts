import { preview, type ReadItem } from './read-item.js';

const NEWLINE = 0x0a;
const RETURN = 0x0d;
const OPEN_BRACE = 0x7b;

/**
 * JSON Lines from raw bytes: newlines are found in the Buffer (a UTF-8 newline byte is never part of another
 * character), and each line is decoded and parsed once, so no text is built per chunk. `\r\n` endings and a
 * byte-order mark are accepted; blank lines are skipped but counted. Only a line cut by a chunk's end is copied.
 */
/** A line left to another thread: which line does not matter, so one object stands for all. */
const ELSEWHERE: ReadItem = Object.freeze({ ok: false, line: 0, message: '', elsewhere: true });

/** Whose a line is, from its bytes: this thread's, maybe this thread's (read it to see), or another's (skip it). */
export type LineRoute = (bytes: Buffer, start: number, end: number) => 'mine' | 'unsure' | 'elsewhere';

export class LineSplitter {
  #line = 0;
  readonly #route: LineRoute | undefined;

  /** `route`: parse only the lines it does not send elsewhere (a thread's share of the file). */
  constructor(route?: LineRoute) {
    this.#route = route;
  }
  /** The start of a line cut by the end of the chunks before, in pieces until its newline comes. */
  #parts: Buffer[] = [];

  /** Feed the next chunk of bytes; returns the lines it completed, parsed. */
  push(chunk: Buffer): ReadItem[] {
    const out: ReadItem[] = [];
    let from = 0;
    let nl = chunk.indexOf(NEWLINE);
    if (nl >= 0 && this.#parts.length > 0) {
      this.#parts.push(chunk.subarray(0, nl));
      const whole = Buffer.concat(this.#parts);
      this.#parts = [];
      this.#parse(whole, 0, whole.length, out);
      from = nl + 1;
      nl = chunk.indexOf(NEWLINE, from);
    }
    for (; nl >= 0; nl = chunk.indexOf(NEWLINE, from)) {
      this.#parse(chunk, from, nl, out);
      from = nl + 1;
    }
    // Copied: the chunk's memory may be reused by the stream once this returns.
    if (from < chunk.length) this.#parts.push(Buffer.from(chunk.subarray(from)));
    return out;
  }

  /** The input ended: the last line, if it had no newline. */
  end(): ReadItem[] {
    const out: ReadItem[] = [];
    if (this.#parts.length > 0) {
      const whole = Buffer.concat(this.#parts);
      this.#parts = [];
      this.#parse(whole, 0, whole.length, out);
    }
    return out;
  }

  #parse(bytes: Buffer, start: number, end0: number, out: ReadItem[]): void {
    this.#line += 1;
    const line = this.#line;
    const end = end0 > start && bytes[end0 - 1] === RETURN ? end0 - 1 : end0;
    // Read from the bytes, before any decoding: a line left to another thread costs only this.
    const route = this.#route?.(bytes, start, end);
    if (route === 'elsewhere') {
      out.push(ELSEWHERE);
      return;
    }
    let text = bytes.toString('utf8', start, end);
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // Most lines start with `{`: only the others are checked for being blank.
    if (bytes[start] !== OPEN_BRACE && text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = `not JSON (${(error as Error).message}): ${preview(text)}`;
      out.push(
        route === 'unsure' ? { ok: false, line, message, unsure: true } : { ok: false, line, message },
      );
      return;
    }
    out.push(route === 'unsure' ? { ok: true, line, value, unsure: true } : { ok: true, line, value });
  }
}
