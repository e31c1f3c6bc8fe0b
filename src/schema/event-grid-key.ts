/** The CloudEvent attribute an advanced filter key names. */
export type EnvelopeAttribute = 'id' | 'source' | 'type' | 'subject' | 'specversion' | 'dataschema';

/** One step of a `data.a.b` path: the name as written, and folded for the case-insensitive fallback. */
export type PathSegment = { readonly exact: string; readonly folded: string };

export type EventGridKey =
  | { readonly kind: 'envelope'; readonly attribute: EnvelopeAttribute }
  /** Any other attribute on the envelope, by its name: an extension (`comexampleothervalue`, `dataversion`). */
  | { readonly kind: 'attribute'; readonly name: PathSegment }
  | { readonly kind: 'data'; readonly path: readonly PathSegment[] };

// Event Grid's key names (`topic`, `eventType`; `eventid` for CloudEvents-schema subscriptions) are aliases, so
// Azure subscriptions carry over unchanged.
const ENVELOPE: Readonly<Record<string, EnvelopeAttribute>> = {
  id: 'id',
  eventid: 'id',
  source: 'source',
  topic: 'source',
  type: 'type',
  eventtype: 'type',
  subject: 'subject',
  specversion: 'specversion',
  dataschema: 'dataschema',
};

/** CloudEvents attribute names are letters and digits (spec: lower-case; keys ignore case, as all keys do). */
const ATTRIBUTE_NAME = /^[A-Za-z0-9]+$/;

export const KEY_FORMS =
  'id (alias eventid), source (alias topic), type (alias eventtype), subject, specversion, dataschema, ' +
  'any other attribute by its name (letters and digits: an extension such as comexampleothervalue or ' +
  'dataversion), data or data.a.b';

/** Parse an advanced filter key; `undefined` when it names nothing we can read. Shared by the schema and the matcher. */
export function parseEventGridKey(key: string): EventGridKey | undefined {
  const dot = key.indexOf('.');
  const head = (dot < 0 ? key : key.slice(0, dot)).toLowerCase();
  if (head === 'data') {
    if (dot < 0) return { kind: 'data', path: [] };
    const names = key.slice(dot + 1).split('.');
    if (names.some((name) => name.length === 0)) return undefined;
    return { kind: 'data', path: names.map((exact) => ({ exact, folded: exact.toUpperCase() })) };
  }
  if (dot >= 0) return undefined;
  const attribute = Object.hasOwn(ENVELOPE, head) ? ENVELOPE[head] : undefined;
  if (attribute !== undefined) return { kind: 'envelope', attribute };
  return ATTRIBUTE_NAME.test(key)
    ? { kind: 'attribute', name: { exact: key, folded: key.toUpperCase() } }
    : undefined;
}
