import { z } from 'zod';
import { parseInput } from '../definitions/parse.js';
import type { AcceptedEvent } from '../events/parse-event.js';
import { type ArtifactEventType, isArtifactEventType } from '../schema/artifact-events.js';
import { RUN_METRICS, RUN_STATE, RUN_UPDATED } from '../schema/run-events.js';

// SEMANTICS §9: runtime state is partitioned by key, and producers and workers must agree on it. The parts are
// joined by NUL, which no name holds, after a word saying what kind of key it is.

/** The key of a run: (entity, project, run id). */
export function runKey(entity: string, project: string, runId: string): string {
  return `run\u0000${entity}\u0000${project}\u0000${runId}`;
}

/** The key of a collection: (entity, project or registry, collection). */
export function collectionKey(
  place: { readonly entity: string; readonly collection: string } & (
    | { readonly project: string }
    | { readonly registry: string }
  ),
): string {
  const where = 'registry' in place ? `registry\u0000${place.registry}` : `project\u0000${place.project}`;
  return `collection\u0000${place.entity}\u0000${where}\u0000${place.collection}`;
}

/** The key of any other event: its (source, id), so a producer's redelivery lands where the first one did. */
export function eventKey(source: string, id: string): string {
  return `event\u0000${source}\u0000${id}`;
}

/** The key of an event the engine accepted. */
export function keyOf(accepted: AcceptedEvent): string {
  switch (accepted.kind) {
    case 'run.metrics':
    case 'run.state':
    case 'run.updated':
      return runKey(accepted.data.entity, accepted.data.project, accepted.data.runId);
    case 'artifact':
      return collectionKey(accepted.data);
    case 'foreign':
      return eventKey(accepted.source, accepted.id);
  }
}

const label = z.string().min(1);
const typed = z.looseObject({ type: z.string() });
const runEvent = z.looseObject({
  data: z.looseObject({ entity: label, project: label, runId: label }),
});
const artifactEvent = z.looseObject({
  data: z.union([
    z.looseObject({ entity: label, project: label, registry: z.undefined().optional(), collection: label }),
    z.looseObject({ entity: label, registry: label, project: z.undefined().optional(), collection: label }),
  ]),
});
const otherEvent = z.looseObject({ source: label, id: label });

/**
 * The partition key of an event, as a producer computes it before publishing: run events (`run.metrics`,
 * `run.state`, `run.updated`) by (entity, project, runId); artifact and collection events by (entity, project or registry,
 * collection); any other event by (source, id). Reads only those fields; throws DefinitionError naming a missing one.
 */
export function partitionKey(event: unknown): string {
  const { type } = parseInput(typed, event, 'event');
  if (type === RUN_METRICS || type === RUN_STATE || type === RUN_UPDATED) {
    const { entity, project, runId } = parseInput(runEvent, event, 'event').data;
    return runKey(entity, project, runId);
  }
  if (isArtifactEventType(type as ArtifactEventType)) {
    const d = parseInput(artifactEvent, event, 'event').data;
    return collectionKey(
      d.registry !== undefined
        ? { entity: d.entity, registry: d.registry, collection: d.collection }
        : { entity: d.entity, project: d.project as string, collection: d.collection },
    );
  }
  const { source, id } = parseInput(otherEvent, event, 'event');
  return eventKey(source, id);
}

const partitionCount = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31);

/** Which of `partitions` partitions a key belongs to: FNV-1a 32-bit of the key's UTF-8, modulo the count. */
export function partitionOf(key: string, partitions: number): number {
  parseInput(z.string(), key, 'key', ['key']);
  parseInput(partitionCount, partitions, 'partitions', ['partitions']);
  return fnv1a(key) % partitions;
}

/** FNV-1a over the UTF-8 bytes of `text`, encoded as it goes (a lone surrogate as U+FFFD, as TextEncoder does). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  const byte = (b: number): void => {
    h = Math.imul(h ^ b, 0x01000193);
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      byte(c);
      continue;
    }
    if (c < 0x800) {
      byte(0xc0 | (c >> 6));
      byte(0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i += 1;
        byte(0xf0 | (c >> 18));
        byte(0x80 | ((c >> 12) & 0x3f));
        byte(0x80 | ((c >> 6) & 0x3f));
        byte(0x80 | (c & 0x3f));
        continue;
      }
      c = 0xfffd;
    }
    byte(0xe0 | (c >> 12));
    byte(0x80 | ((c >> 6) & 0x3f));
    byte(0x80 | (c & 0x3f));
  }
  return h >>> 0;
}
