import { REDACTED } from '../http/webhook-secret.js';

/** Shorter strings are not hidden: they would hide ordinary words, and no real secret is that short. */
const MIN_LENGTH = 4;

export type RedactOptions = {
  /** The text was cut short at its end (a capped body prefix): a secret's beginning there is hidden too. */
  readonly truncated?: boolean;
};

function tryEncode(encode: (s: string) => string, s: string): string | undefined {
  try {
    return encode(s);
  } catch {
    // A lone surrogate has no UTF-8 form: nothing could have sent it encoded.
    return undefined;
  }
}

/** JSON's escapes, plus the ASCII-only style (`\u00e9`) some serialisers write, in both hex cases. */
function jsonForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const ascii = json.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const upper = ascii.replace(/\\u([0-9a-f]{4})/g, (_m, hex: string) => `\\u${hex.toUpperCase()}`);
  // PHP and others also escape `/` as `\/`.
  return [json, ascii, upper].flatMap((f) => [f, f.replaceAll('/', '\\/')]);
}

/** Percent-encodings: a URI component, a form field (`+` for space), a whole URI, a URL path and query. */
function urlForms(secret: string): string[] {
  const component = tryEncode(encodeURIComponent, secret);
  const uri = tryEncode(encodeURI, secret);
  const form = new URLSearchParams([['', secret]]).toString().slice(1);
  const url = new URL('http://h/');
  url.pathname = `/${secret}`;
  const path = url.pathname.slice(1);
  url.search = secret;
  const query = url.search.slice(1);
  const encoded = [component, component?.replaceAll('%20', '+'), uri, form, path, query];
  return encoded.flatMap((f) =>
    f === undefined ? [] : [f, f.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
  );
}

/** Every form a secret can take in a text: as it is, JSON-escaped, and URL-encoded. */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_LENGTH) return [];
  const forms = new Set([secret, ...jsonForms(secret), ...urlForms(secret)]);
  return [...forms].filter((f) => f.length >= MIN_LENGTH);
}

/** The forms of a list of secrets, longest first (so a secret inside another never splits it); cached per list. */
const cache = new WeakMap<readonly string[], readonly string[]>();
function formsOf(secrets: readonly string[]): readonly string[] {
  let forms = cache.get(secrets);
  if (forms === undefined) {
    forms = [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length);
    cache.set(secrets, forms);
  }
  return forms;
}

/** The text without a trailing beginning of `form` (four characters or more), when there is one. */
function cutTail(text: string, form: string): string {
  const head = form.slice(0, MIN_LENGTH);
  for (let i = text.indexOf(head, Math.max(0, text.length - form.length + 1)); i !== -1; ) {
    if (form.startsWith(text.slice(i))) return `${text.slice(0, i)}${REDACTED}`;
    i = text.indexOf(head, i + 1);
  }
  return text;
}

/**
 * Replace every secret in a text (an error message, a response body) before it reaches an issue, a record or a
 * file: as it is, JSON-escaped and URL-encoded. Pass the same `secrets` array each time: its forms are cached.
 */
export function redact(text: string, secrets: readonly string[], options: RedactOptions = {}): string {
  let out = text;
  const forms = formsOf(secrets);
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
  if (options.truncated === true) for (const form of forms) out = cutTail(out, form);
  return out;
}
