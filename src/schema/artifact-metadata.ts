import { z } from 'zod';

/** An artifact version's metadata: a JSON object, frozen. */
export type ArtifactMetadata = { readonly [key: string]: unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A deep copy of JSON-like data, frozen, every own key kept as data: Object.fromEntries defines own properties,
 * so a key `__proto__` stays a key and never becomes a prototype. Input limits bound its depth and size.
 */
export function frozenJsonCopy(value: unknown): unknown {
  if (Array.isArray(value)) return Object.freeze(value.map(frozenJsonCopy));
  if (!isRecord(value)) return value;
  return Object.freeze(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, frozenJsonCopy(v)])));
}

/**
 * Metadata as written, in a frozen copy of its own: unlike z.record, which drops a `__proto__` key, every own
 * key is kept, so `${artifact_metadata.__proto__}` reads what the event said. Not an object: invalid_type.
 */
export const artifactMetadataSchema = z.unknown().transform((input, ctx): ArtifactMetadata => {
  if (isRecord(input)) return frozenJsonCopy(input) as ArtifactMetadata;
  ctx.addIssue({
    code: 'custom',
    message: 'expected an object of metadata keys and values',
    input,
    params: { code: 'invalid_type' },
  });
  return z.NEVER;
});
