import type { CloudEvent } from '../schema/cloud-event.js';
import { type PathSegment, parseEventGridKey } from '../schema/event-grid-key.js';

/** Reads one key from an event; `undefined` means the key is missing. */
export type KeyReader = (event: CloudEvent) => unknown;

type Fields = Readonly<Record<string, unknown>>;

/**
 * An own property by exact name, else the first own property (in key order) whose name folds to the same
 * upper case. Only own properties: `__proto__` or `constructor` in a key must never reach Object.prototype.
 */
function child(node: Fields, segment: PathSegment): unknown {
  if (Object.hasOwn(node, segment.exact)) return node[segment.exact];
  for (const name in node) {
    if (Object.hasOwn(node, name) && name.toUpperCase() === segment.folded) return node[name];
  }
  return undefined;
}

function walk(node: unknown, path: readonly PathSegment[]): unknown {
  for (const segment of path) {
    // Arrays are not indexed by path: `data.a.0` names a property `0` of an object only.
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = child(node as Fields, segment);
  }
  return node;
}

/** Compile a key (already validated by the schema) once into a reader. */
export function compileKey(key: string): KeyReader {
  const parsed = parseEventGridKey(key);
  if (parsed === undefined) throw new TypeError(`not an advanced filter key: ${JSON.stringify(key)}`);
  if (parsed.kind === 'envelope') {
    const { attribute } = parsed;
    return (event) => (Object.hasOwn(event, attribute) ? (event as Fields)[attribute] : undefined);
  }
  if (parsed.kind === 'attribute') {
    // By exact name, else ignoring case; never `data`, which parseEventGridKey reads as the data.
    const { name } = parsed;
    return (event) => child(event as Fields, name);
  }
  const { path } = parsed;
  return (event) => (Object.hasOwn(event, 'data') ? walk(event.data, path) : undefined);
}
