import { z } from 'zod';
import { DefinitionError } from '../../errors/definition-error.js';
import { fromZodIssues } from '../../errors/from-zod.js';

const finite = z.number().refine(Number.isFinite, { message: 'must be finite' });

/**
 * Check `input` against `schema` and give it back as it is (not zod's copy: a firing stays the object it was);
 * a DefinitionError naming each field and value when it does not fit.
 */
export function checkInput<T>(schema: z.ZodType, input: unknown, what: string): T {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw new DefinitionError(fromZodIssues(result.error.issues), what);
  return input as T;
}

/** A firing as `deliver` takes it: the fields delivery reads (an engine's firings always have them). */
export const firingSchema = z.looseObject({
  id: z.string().min(1),
  automationId: z.string().min(1),
  automationName: z.string(),
  time: finite,
  event: z.looseObject({ id: z.string(), source: z.string() }),
  action: z.looseObject({ type: z.string().min(1), integration: z.string().min(1).optional() }),
});

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.length > 0;

/** The schema's rules, by hand: one firing per delivery must not cost a zod parse (a differential test agrees). */
export function isFiringShape(f: unknown): boolean {
  if (!isObject(f) || !isObject(f['event']) || !isObject(f['action'])) return false;
  const { event, action } = f;
  return (
    nonEmpty(f['id']) &&
    nonEmpty(f['automationId']) &&
    typeof f['automationName'] === 'string' &&
    Number.isFinite(f['time']) &&
    typeof event['id'] === 'string' &&
    typeof event['source'] === 'string' &&
    nonEmpty(action['type']) &&
    (action['integration'] === undefined || nonEmpty(action['integration']))
  );
}

/** A firing for `deliver`, as it is; a DefinitionError naming each field when it is not one. */
export function checkFiring<T>(input: unknown): T {
  return isFiringShape(input) ? (input as T) : checkInput<T>(firingSchema, input, 'firing');
}

export const closeOptionsSchema = z.object({ abort: z.boolean().optional() }).strict();

export const historyQuerySchema = z
  .object({
    automationId: z.string().min(1).optional(),
    status: z.enum(['pending', 'finished', 'failed', 'skipped']).optional(),
    limit: z.number().int().min(1).optional(),
  })
  .strict();

/** A delivery record as `pending()` gave it (snapshots keep them); ended ones are accepted and left out. */
export const deliveryRecordSchema = z.looseObject({
  firingId: z.string().min(1),
  automationId: z.string().min(1),
  automationName: z.string(),
  integration: z.string().optional(),
  status: z.enum(['pending', 'finished', 'failed', 'skipped']),
  attempts: z.array(z.looseObject({ time: finite, durationMs: finite, outcome: z.string() })),
  publishTime: finite,
  dueTime: finite.optional(),
  firing: z.looseObject({
    id: z.string(),
    automationId: z.string(),
    event: z.looseObject({ id: z.string(), source: z.string() }),
  }),
});

export const deliveryRecordsSchema = z.array(deliveryRecordSchema);
