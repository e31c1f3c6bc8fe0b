import { createReadStream, statSync } from 'node:fs';
import { pipeline, type Readable, Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { JsonArrayParser } from './json-array-parser.js';
import { LineSplitter } from './line-splitter.js';
import { preview, type ReadItem } from './read-item.js';

/** Bytes a read of the events file asks for: 1 MiB reads cost less CPU, but left the replay waiting for them. */
export const READ_CHUNK = 64 * 1024;
/** Bytes of JSON Lines parsed into one batch. */
const PARSE_SLICE = 64 * 1024;

/** Where events come from: a decoded text stream, and how far through the file it is (for the progress bar). */
export interface EventSource {
  /** The file name as given, or `stdin`. */
  readonly name: string;
  readonly stream: Readable;
  /** Bytes of the file consumed so far: by the gunzip for `.gz`, whose offset this is when it breaks. */
  bytesRead(): number;
  /** Bytes of event text so far: unpacked bytes for `.gz`, the same as `bytesRead()` otherwise. */
  textBytes(): number;
  /** The file's size in bytes; absent for stdin. */
  readonly size?: number;
  /** A `.gz` file: its size and `bytesRead()` are compressed bytes, not the events' text. */
  readonly gzip: boolean;
}

/** Open `path` (`-` = `stdin`) as a stream; `.gz` files are gunzipped on the way. Throws if the file cannot be opened. */
export function openEvents(path: string, stdin: Readable): EventSource {
  // stdin has no size, so no progress bar: its bytes are not counted.
  if (path === '-')
    return { name: 'stdin', stream: stdin, bytesRead: () => 0, textBytes: () => 0, gzip: false };
  const size = statSync(path).size;
  const file = createReadStream(path, { highWaterMark: READ_CHUNK });
  const bytesRead = (): number => file.bytesRead;
  if (!path.endsWith('.gz'))
    return { name: path, stream: file, bytesRead, textBytes: bytesRead, size, gzip: false };
  const gunzip = createGunzip();
  let text = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      text += chunk.length;
      done(null, chunk);
    },
  });
  // pipeline() hands an error of the file or the gunzip on to the counter, where the reader sees it.
  pipeline(file, gunzip, counter, () => {});
  return {
    name: path,
    stream: counter,
    bytesRead: () => gunzip.bytesWritten,
    textBytes: () => text,
    size,
    gzip: true,
  };
}

/** The events stream broke (a truncated or corrupt `.gz`, a read error) after some events: where, and why. */
export type ReadError = {
  readonly message: string;
  /** Bytes of the file consumed before the break (compressed bytes for `.gz`). */
  readonly offset: number;
  /** The last line read whole. */
  readonly line: number;
  /** The file is gzipped. */
  readonly gzip: boolean;
};

/** What to say when the stream broke after some events: where, why, and what the summary covers. */
export function breakMessage(name: string, error: ReadError): string {
  const at = error.offset.toLocaleString('en-US');
  const covers = `the summary covers the ${error.line.toLocaleString('en-US')} lines before it`;
  if (!error.gzip) return `cannot read ${name} after byte ${at} (${error.message}); ${covers}`;
  // zlib says "unexpected end of file" when the compressed data stops before its end: the file is cut short.
  if (error.message === 'unexpected end of file')
    return `${name} is cut short: the gzip data ends at byte ${at} (${error.message}); ${covers}`;
  return `${name} is corrupt: the gzip data breaks after byte ${at} (${error.message}); ${covers}`;
}

/**
 * Read events as a stream, in batches (one per chunk read): JSON Lines, or one JSON array (detected by its first
 * character `[`), streamed element by element. Memory holds one chunk and one line, never the file. Bad lines
 * and elements come out as `{ ok: false, line, message }` and the reading goes on; blank lines are skipped.
 * JSON Lines given as bytes are split as bytes (LineSplitter); text and JSON arrays go through a decoder.
 */
export async function* readEvents(stream: Readable): AsyncGenerator<ReadItem[]> {
  // A decoder of our own rather than setEncoding, so that every Readable works: bytes or text, object mode or not.
  const decoder = new StringDecoder('utf8');
  let reader: LineReader | JsonArrayParser | LineSplitter | undefined;
  let pending = '';
  // The chunks before the format is known, while all of them are bytes.
  let held: Buffer[] = [];
  let bytes = true;
  for await (const raw of stream as AsyncIterable<Buffer | string>) {
    if (reader instanceof LineSplitter) {
      yield* slices(reader, typeof raw === 'string' ? Buffer.from(raw) : raw);
      continue;
    }
    const chunk = typeof raw === 'string' ? raw : decoder.write(raw);
    if (reader === undefined) {
      pending += chunk;
      if (typeof raw === 'string') bytes = false;
      else held.push(raw);
      const first = pending.replace(/^[\s\uFEFF]+/, '');
      if (first === '') continue;
      if (first.startsWith('[')) reader = new JsonArrayParser();
      else if (bytes) {
        // Bytes from the start: the splitter reads them again as bytes, and every chunk after them.
        reader = new LineSplitter();
        yield* slices(reader, Buffer.concat(held));
        held = [];
        continue;
      } else reader = new LineReader();
      held = [];
      yield reader.push(pending);
      pending = '';
    } else {
      const items = (reader as LineReader | JsonArrayParser).push(chunk);
      if (items.length > 0) yield items;
    }
  }
  if (reader instanceof LineSplitter) {
    const last = reader.end();
    if (last.length > 0) yield last;
    return;
  }
  const tail = decoder.end();
  if (reader === undefined) {
    if ((pending + tail).trim() === '') return;
    reader = new LineReader();
    yield reader.push(pending + tail);
  } else if (tail !== '') yield reader.push(tail);
  const last = reader.end();
  if (last.length > 0) yield last;
}

/**
 * A chunk's lines, parsed a slice at a time: a batch's events are applied before the next slice is parsed, so they
 * die young (parsing a whole 1 MiB chunk first kept thousands alive long enough to be promoted, doubling GC).
 */
function* slices(reader: LineSplitter, chunk: Buffer): Generator<ReadItem[]> {
  for (let at = 0; at < chunk.length; at += PARSE_SLICE) {
    const items = reader.push(chunk.subarray(at, at + PARSE_SLICE));
    if (items.length > 0) yield items;
  }
}

/** JSON Lines, split across chunks; `\r\n` endings and a byte-order mark are accepted. */
export class LineReader {
  #line = 0;
  #rest = '';

  push(chunk: string): ReadItem[] {
    const out: ReadItem[] = [];
    let from = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', from)) {
      const text = from === 0 && this.#rest !== '' ? this.#rest + chunk.slice(0, nl) : chunk.slice(from, nl);
      this.#rest = '';
      this.#parse(text, out);
      from = nl + 1;
    }
    this.#rest += chunk.slice(from);
    return out;
  }

  end(): ReadItem[] {
    const out: ReadItem[] = [];
    if (this.#rest !== '') this.#parse(this.#rest, out);
    this.#rest = '';
    return out;
  }

  #parse(text: string, out: ReadItem[]): void {
    this.#line += 1;
    const line = this.#line;
    let trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line === 1 && trimmed.charCodeAt(0) === 0xfeff) trimmed = trimmed.slice(1);
    if (trimmed.trim() === '') return;
    try {
      out.push({ ok: true, line, value: JSON.parse(trimmed) });
    } catch (error) {
      out.push({ ok: false, line, message: `not JSON (${(error as Error).message}): ${preview(trimmed)}` });
    }
  }
}
