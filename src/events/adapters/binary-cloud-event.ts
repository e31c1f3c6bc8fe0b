import { type Issue, type IssuePath, issue } from '../../errors/issue.js';
import type { CloudEvent } from '../../schema/cloud-event.js';
import { isJsonMediaType, mediaType } from './http-headers.js';
import { jsonBody, type Result, structuredEvent, utf8 } from './structured-cloud-event.js';

/**
 * HTTP binding §3.1.3.2: undo RFC 7230 quoted-string escaping, then one round of percent-decoding. Invalid UTF-8
 * (e.g. the overlong "%C0%A0") must be rejected; decodeURIComponent throws on exactly those, and on a bare "%".
 */
export function decodeHeaderValue(raw: string): string | undefined {
  let value = raw.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    value = value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

type Data = { readonly data?: unknown; readonly data_base64?: string };

/** JSON content types are parsed; other text is kept as text; bytes that are not UTF-8 become data_base64. */
function bodyData(body: unknown, contentType: string | undefined): Result<Data> {
  if (body === undefined || body === null || body === '') return { ok: true, value: {} };
  const json = isJsonMediaType(mediaType(contentType));
  if (body instanceof Uint8Array && body.length === 0) return { ok: true, value: {} };
  if (json) {
    const parsed = jsonBody(body, ['body']);
    return parsed.ok ? { ok: true, value: { data: parsed.value } } : parsed;
  }
  if (typeof body === 'string') return { ok: true, value: { data: body } };
  if (body instanceof Uint8Array) {
    const text = utf8(body);
    return {
      ok: true,
      value: text === undefined ? { data_base64: Buffer.from(body).toString('base64') } : { data: text },
    };
  }
  // A framework already parsed the body: only a JSON content type (or none) says it was JSON.
  if (contentType === undefined) return { ok: true, value: { data: body } };
  return {
    ok: false,
    issues: [issue('invalid_type', ['body'], `a ${contentType} body must be text or bytes`, body)],
  };
}

/** Error paths name what the sender wrote: the `ce-*` header, `content-type`, or `body`. */
function headerPath(path: IssuePath): IssuePath {
  const [first, ...rest] = path;
  if (first === 'data' || first === 'data_base64') return ['body', ...rest];
  if (first === 'datacontenttype') return ['content-type', ...rest];
  return typeof first === 'string' ? [`ce-${first}`, ...rest] : path;
}

/** Binary content mode: attributes from `ce-*` headers, `content-type` → datacontenttype, the body → data. */
export function binaryEvent(headers: ReadonlyMap<string, string>, body: unknown): Result<CloudEvent> {
  const issues: Issue[] = [];
  const attributes = new Map<string, string>();
  for (const [name, raw] of headers) {
    if (!name.startsWith('ce-') || name.length === 3) continue;
    const value = decodeHeaderValue(raw);
    if (value === undefined) {
      issues.push(
        issue('invalid_format', [name], 'not valid percent-encoded UTF-8 (HTTP binding §3.1.3.2)', raw),
      );
    } else {
      attributes.set(name.slice(3), value);
    }
  }
  // The binding forbids ce-datacontenttype beside Content-Type; tolerate it alone, prefer Content-Type.
  const contentType = headers.get('content-type') ?? attributes.get('datacontenttype');
  attributes.delete('datacontenttype');
  const data = bodyData(body, contentType);
  if (!data.ok) issues.push(...data.issues);
  if (issues.length > 0 || !data.ok) return { ok: false, issues };
  const event = structuredEvent({
    ...Object.fromEntries(attributes),
    ...(contentType !== undefined && { datacontenttype: contentType }),
    ...data.value,
  });
  if (event.ok) return event;
  return { ok: false, issues: event.issues.map((i) => ({ ...i, path: headerPath(i.path) })) };
}
