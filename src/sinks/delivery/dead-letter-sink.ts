import { appendFile } from 'node:fs/promises';
import type { DeadLetter } from './delivery-record.js';

/** Where dead letters go: a callback, or a JSONL file (one letter a line, appended). */
export type DeadLetterSink = ((letter: DeadLetter) => void | Promise<void>) | { readonly file: string };

export function deadLetterWriter(
  sink: DeadLetterSink | undefined,
): ((letter: DeadLetter) => Promise<void>) | undefined {
  if (sink === undefined) return undefined;
  if (typeof sink === 'function') return async (letter) => sink(letter);
  const file = sink.file;
  // Appends are queued so lines never interleave, whatever the order letters arrive in.
  let last: Promise<void> = Promise.resolve();
  return (letter) => {
    // A failed append must not block the letters after it.
    last = last.catch(() => undefined).then(() => appendFile(file, `${JSON.stringify(letter)}\n`, 'utf8'));
    return last;
  };
}
