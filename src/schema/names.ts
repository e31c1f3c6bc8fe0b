import { z } from 'zod';

/** Entity, project, registry and collection names: no `/`, which separates them in the scope shorthand. */
export const nameSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !s.includes('/'), { message: 'must not contain "/"', params: { code: 'invalid_format' } });

export const labelSchema = z.string().min(1).max(255);

/** A window length; bounded so that one definition cannot ask for unbounded memory per run. */
export const MAX_WINDOW = 10_000;
export const windowSchema = z.number().int().min(1).max(MAX_WINDOW);

/** A finite number; -0 becomes 0, which is what it would be after a trip through JSON anyway. */
export const finiteNumber = z
  .number()
  .refine(Number.isFinite, { message: 'must be finite' })
  .transform((x) => (x === 0 ? 0 : x));
