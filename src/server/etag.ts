import { createHash } from 'node:crypto';

/** A strong ETag of a JSON value: every change to it (updatedAt included) changes the tag. */
export function etagOf(value: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 27)}"`;
}

/** RFC 9110 If-Match: absent passes; `*` passes when the resource exists; else one of the listed tags must match. */
export function ifMatchPasses(header: string | undefined, current: string | undefined): boolean {
  if (header === undefined) return true;
  if (current === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim() === current);
}
