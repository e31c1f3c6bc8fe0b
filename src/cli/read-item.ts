/** One event read from the input, or one bad line (or array element) with the line it starts on. */
export type ReadItem =
  | { readonly ok: true; readonly line: number; readonly value: unknown }
  | { readonly ok: false; readonly line: number; readonly message: string };

/** The start of a bad input, on one line. */
export function preview(text: string, length = 60): string {
  const flat = text.trim().replaceAll('\n', ' ');
  return flat.length <= length ? flat : `${flat.slice(0, length)}…`;
}
