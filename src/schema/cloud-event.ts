import { z } from 'zod';

/** A CloudEvents 1.0 envelope. Extension attributes are kept, never rejected. */
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
  subject: z.string().max(4096).optional(),
  time: z.union([rfc3339, z.number().int().min(0).max(8.64e15)]).optional(),
  data: z.unknown().optional(),
  specversion: z.literal('1.0').optional(),
  sequence: z.number().int().min(0).optional(),
  dataschema: z.string().max(4096).optional(),
  datacontenttype: z.string().max(1024).optional(),
});

/** Event time in epoch ms. */
export function eventTimeMs(time: string | number): number {
  return typeof time === 'number' ? time : Date.parse(time);
}
