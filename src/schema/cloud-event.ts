import { z } from 'zod';

/** A CloudEvents 1.0 envelope. Extension attributes are kept, never rejected; a `null` attribute is unset. */
export type CloudEvent<D = unknown> = {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  /** RFC 3339 text or epoch ms; absent = the engine clock's now() at ingest. */
  readonly time?: string | number;
  readonly data?: D;
  readonly specversion?: string;
  readonly sequence?: number;
  readonly dataschema?: string;
  readonly datacontenttype?: string;
  readonly [extension: string]: unknown;
};

export const rfc3339 = z.iso.datetime({ offset: true, local: false });

export const eventTimeSchema = z.union([
  rfc3339.transform((text) => Date.parse(text)),
  z.number().int().min(0).max(8.64e15),
]);

export const cloudEventSchema = z.looseObject({
  id: z.string().min(1).max(1024),
  source: z.string().min(1).max(4096),
  type: z.string().min(1).max(1024),
  // CloudEvents 1.0 (the `subject` attribute): when present, it MUST be a non-empty string.
  subject: z.string().min(1).max(4096).optional(),
  time: z.union([rfc3339, z.number().int().min(0).max(8.64e15)]).optional(),
  data: z.unknown().optional(),
  specversion: z.literal('1.0').optional(),
  sequence: z.number().int().min(0).optional(),
  dataschema: z.string().max(4096).optional(),
  datacontenttype: z.string().max(1024).optional(),
});

/**
 * CloudEvents JSON format §2.2: an attribute whose value is `null` is unset. Returns the input itself when no
 * attribute is `null` (the usual case: nothing copied), else a copy without them. `data` is not an attribute:
 * a `null` data is an explicit null payload (§3.1.1) and stays.
 */
export function unsetNullAttributes(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const envelope = input as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(envelope)) {
    if (key === 'data' || envelope[key] !== null) continue;
    // fromEntries defines own properties: an extension named `__proto__` stays a key, as in the input.
    copy ??= Object.fromEntries(Object.entries(envelope));
    delete copy[key];
  }
  return copy ?? input;
}

/** Event time in epoch ms. */
export function eventTimeMs(time: string | number): number {
  return typeof time === 'number' ? time : Date.parse(time);
}
