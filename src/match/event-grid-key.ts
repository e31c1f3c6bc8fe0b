/** The CloudEvent attribute an advanced filter key names. */
export type EnvelopeAttribute = 'id' | 'source' | 'type' | 'subject' | 'specversion' | 'dataschema';

/** One step of a `data.a.b` path: the name as written, and folded for the case-insensitive fallback. */
export type PathSegment = { readonly exact: string; readonly folded: string };

export type EventGridKey =
  | { readonly kind: 'envelope'; readonly attribute: EnvelopeAttribute }
  | { readonly kind: 'data'; readonly path: readonly PathSegment[] };

// Event Grid schema names (`topic`, `eventType`) are kept as aliases so Azure subscriptions carry over unchanged.
const ENVELOPE: Readonly<Record<string, EnvelopeAttribute>> = {
  id: 'id',
  source: 'source',
  topic: 'source',
  type: 'type',
  eventtype: 'type',
  subject: 'subject',
  specversion: 'specversion',
  dataschema: 'dataschema',
};

export const KEY_FORMS =
  'id, source, topic, type, eventtype, subject, specversion, dataschema, data or data.a.b';

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
  const attribute = dot < 0 && Object.hasOwn(ENVELOPE, head) ? ENVELOPE[head] : undefined;
  return attribute === undefined ? undefined : { kind: 'envelope', attribute };
}
