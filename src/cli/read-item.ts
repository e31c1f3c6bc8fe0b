/**
 * One event read from the input, or one bad line (or array element) with the line it starts on. A reader that
 * shares the lines out between threads (LineSplitter's `route`) also says which lines it read without being sure
 * they are its own (`unsure`), and which it left unread to another thread (`elsewhere`, with no message).
 */
export type ReadItem =
  | { readonly ok: true; readonly line: number; readonly value: unknown; readonly unsure?: true }
  | {
      readonly ok: false;
      readonly line: number;
      readonly message: string;
      readonly unsure?: true;
      readonly elsewhere?: true;
    };

/** The start of a bad input, on one line. */
export function preview(text: string, length = 60): string {
  const flat = text.trim().replaceAll('\n', ' ');
  return flat.length <= length ? flat : `${flat.slice(0, length)}…`;
}
