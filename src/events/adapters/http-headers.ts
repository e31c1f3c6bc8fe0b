import { types } from 'node:util';
import { z } from 'zod';
import { methodOf } from '../../definitions/method-of.js';
import { parseInput } from '../../definitions/parse.js';
import { DefinitionError } from '../../errors/definition-error.js';
import { issue } from '../../errors/issue.js';

const isPlain = (o: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null;
};

/** Anything with `forEach((value, name) => …)`: a Fetch `Headers`, or a `Map`. */
export type HeadersLike = { forEach(callback: (value: string, name: string) => void): void };

/** HTTP request headers: Node's `IncomingHttpHeaders`, a plain record, or a Fetch `Headers`. */
export type HttpHeaders = HeadersLike | { readonly [name: string]: string | readonly string[] | undefined };

const headersLike = z.custom<HeadersLike>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    typeof (v as { forEach?: unknown }).forEach === 'function',
  { message: 'expected a Headers object' },
);
const headerRecord = z.record(z.string(), z.union([z.string(), z.array(z.string()), z.undefined()]));
export const httpHeadersSchema = z.union([headersLike, headerRecord]);

/**
 * Header names lower-cased (HTTP names are case-insensitive); repeated headers joined as HTTP folds them. A
 * record is checked as plain data before it is read (no getter runs); a `Headers` or `Map` is read with its
 * own forEach, and a name or value that is not text is refused.
 */
export function readHeaders(input: unknown, what: string): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const add = (name: string, value: string): void => {
    const key = name.toLowerCase();
    const before = out.get(key);
    out.set(key, before === undefined ? value : `${before}, ${value}`);
  };
  const plain = typeof input === 'object' && input !== null && !types.isProxy(input) && isPlain(input);
  const forEach = plain ? undefined : methodOf(input, 'forEach');
  if (forEach !== undefined && typeof input === 'object' && input !== null && !Array.isArray(input)) {
    forEach.call(input, (value: unknown, name: unknown) => {
      if (typeof name === 'string' && typeof value === 'string') return add(name, value);
      const at = typeof name === 'string' ? ['headers', name] : ['headers'];
      throw new DefinitionError(
        [issue('invalid_type', at, 'header names and values are text', typeof value)],
        what,
      );
    });
    return out;
  }
  const headers = parseInput(httpHeadersSchema, input, what, ['headers']);
  for (const [name, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (typeof value === 'string') add(name, value);
    else if (Array.isArray(value)) add(name, value.join(', '));
  }
  return out;
}

/** The media type of a Content-Type value, lower-cased and without parameters. */
export function mediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase();
  return type === undefined || type === '' ? undefined : type;
}

/** JSON media types: application/json, text/json and any `+json` structured syntax suffix (RFC 6839). */
export function isJsonMediaType(type: string | undefined): boolean {
  return (
    type !== undefined && (type === 'application/json' || type === 'text/json' || type.endsWith('+json'))
  );
}
