import { z } from 'zod';
import { fromZodIssues } from '../errors/from-zod.js';
import { DefinitionError } from '../index.js';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** GET /automations: the filters of `engine.list` and a page. */
export const listQuerySchema = z
  .object({
    name: z.string().min(1).optional(),
    /** A scope as text: `acme`, `acme/vision`, `acme/vision/resnet`. */
    scope: z.string().min(1).optional(),
    enabled: flag.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** From the previous page's `nextCursor`. */
    cursor: z
      .string()
      .regex(/^[0-9]+$/)
      .optional(),
  })
  .strict();

/** GET /history and /dead-letters. */
export const historyQuerySchema = z
  .object({
    automationId: z.string().min(1).optional(),
    status: z.enum(['pending', 'finished', 'failed', 'skipped']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/** POST /automations/import. */
export const importQuerySchema = z.object({ mode: z.enum(['merge', 'replace']).default('merge') }).strict();

/** POST /automations: a draft as `parseAutomation` reads it, plus an optional id of your own. */
export const createBodySchema = z.looseObject({ id: z.string().min(1).max(255).optional() });

/** A page of automations. */
export const pageSchema = z.object({
  items: z.array(z.unknown()),
  /** Absent on the last page. */
  nextCursor: z.string().optional(),
});

export const importResultSchema = z.object({
  created: z.array(z.string()),
  updated: z.array(z.string()),
  deleted: z.array(z.string()),
  unchanged: z.array(z.string()),
});

export const healthSchema = z.object({ status: z.enum(['ok', 'not-ready']) });

/** Parse a query (or any request part) with one of these; a DefinitionError naming the field otherwise. */
export function parseRequest<T>(schema: z.ZodType<T, unknown>, input: unknown, part: string): T {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success)
    throw new DefinitionError(fromZodIssues(parsed.error.issues, [part]), `request ${part}`);
  return parsed.data;
}
